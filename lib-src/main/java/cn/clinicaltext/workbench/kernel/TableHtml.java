package cn.clinicaltext.workbench.kernel;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** An HTML rendering of a Tablesaw table for notebooks: a caption with its name and size, at most N rows. */
final class TableHtml {
    private TableHtml() {
    }

    static String render(Table table, int maxRows) {
        StringBuilder html = new StringBuilder("<table class=\"dataframe\">");
        html.append("<caption>").append(escape(table.name() == null ? "" : table.name()))
                .append(" (").append(table.rowCount()).append(" rows &times; ")
                .append(table.columnCount()).append(" columns)</caption><thead><tr>");
        for (Column<?> column : table.columns()) {
            html.append("<th>").append(escape(column.name())).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        int shown = Math.min(maxRows, table.rowCount());
        for (int row = 0; row < shown; row++) {
            html.append("<tr>");
            for (Column<?> column : table.columns()) {
                boolean numeric = column.type().name().matches("INTEGER|LONG|SHORT|FLOAT|DOUBLE");
                html.append(numeric ? "<td style=\"text-align:right\">" : "<td>")
                        .append(escape(column.getString(row))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        if (shown < table.rowCount()) {
            html.append("<p>&hellip; ").append(table.rowCount() - shown).append(" more rows</p>");
        }
        return html.toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
