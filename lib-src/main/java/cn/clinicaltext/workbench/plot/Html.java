package cn.clinicaltext.workbench.plot;

/** An HTML fragment; the notebook kernel shows it as rich output, elsewhere it prints as its source. */
public record Html(String content) {
    @Override
    public String toString() {
        return content;
    }
}
