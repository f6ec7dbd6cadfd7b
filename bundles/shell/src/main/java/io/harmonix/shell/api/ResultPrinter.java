package io.harmonix.shell.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/** Prints a {@link CommandResult} in the mode the user chose; the sink of a streamed result's items. */
final class ResultPrinter implements CommandResult.ItemSink {
    private final PrintStream out;
    private final boolean json;

    ResultPrinter(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    void print(CommandResult result) throws Exception {
        if (result.streamer() != null) {
            print(result.streamer().stream(this));
        } else {
            synchronized (this) {
                String text = result.text(json);
                if (text != null && !text.isEmpty()) {
                    out.print(text.endsWith("\n") ? text : text + "\n");
                }
                if (json && result.json() != null) {
                    out.println(Json.pretty(result.json()));
                }
                out.flush();
            }
        }
        if (result.failure() != null) {
            throw result.failure();
        }
    }

    @Override
    public synchronized void item(String text, JsonNode node) {
        if (json ? node == null : text == null) {
            return;
        }
        out.println(json ? Json.line(node) : text);
        out.flush();
    }
}
