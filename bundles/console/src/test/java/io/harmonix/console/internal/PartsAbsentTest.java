package io.harmonix.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without the bundles the new pages read, each API says which service is not installed, and its page still loads. */
class PartsAbsentTest {
    @TempDir
    Path etc;

    @Test
    void eachPartAbsentIsAnsweredNotInstalledNamingItsFeature() throws Exception {
        try (ConsoleServer console = new ConsoleServer(etc)) {
            for (String[] c : new String[][] {{"states/r/a", "state store (feature harmonix-core)"},
                    {"index", "cycle index (feature harmonix-core)"}, {"proofs/r:1", "cycle index"},
                    {"waves", "wave coordinator (feature harmonix-waves)"},
                    {"enhancements", "enhancement ledger (feature harmonix-waves)"},
                    {"fleet", "fleet catalogue (feature harmonix-fleet)"},
                    {"ledger", "backlog ledger (feature harmonix-autonomy)"},
                    {"changes", "change requests (feature harmonix-autonomy)"}}) {
                HttpResponse<String> r = console.get("/console/api/" + c[0]);
                assertEquals(503, r.statusCode(), c[0]);
                assertEquals(true, r.body().contains("the " + c[1]) && r.body().contains("is not installed"),
                        r.body());
            }
            for (String page : new String[] {"states/r", "index", "waves", "fleet", "ledger", "changes"}) {
                assertEquals(200, console.get("/console/" + page).statusCode(), page);
            }
            assertEquals(400, console.get("/console/api/waves?limit=x").statusCode(), "bad paging comes first");
        }
    }
}
