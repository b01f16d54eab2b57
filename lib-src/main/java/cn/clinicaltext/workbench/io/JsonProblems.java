package cn.clinicaltext.workbench.io;

/**
 * What is wrong with a JSON file, in the parser's own words without its wrapping: Gson wraps the reason
 * ("Unterminated object at line 3 column 5 path $.training") in exceptions whose messages start with a class name
 * (java.io.EOFException: ...) and end with a link to its troubleshooting page; a user needs the reason and where.
 */
public final class JsonProblems {
    private JsonProblems() {
    }

    public static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String m = String.valueOf(cause.getMessage());
        int link = m.indexOf("\nSee ");
        m = (link >= 0 ? m.substring(0, link) : m).strip();
        // "End of input at line 1 column 1 path $" says the file is empty or cut short
        return m.startsWith("End of input") ? "it ends too early: " + m : m;
    }
}
