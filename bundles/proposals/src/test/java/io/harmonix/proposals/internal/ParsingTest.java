package io.harmonix.proposals.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The failing tests named from the logs of common runners, and benchmark figures compared. */
class ParsingTest {
    @Test
    void surefireSummaryNamesEachFailingTest() {
        String log = """
                [INFO] Running shop.BasketTest
                [ERROR] Tests run: 2, Failures: 1, Errors: 1, Skipped: 0, Time elapsed: 0.05 s <<< FAILURE! -- in shop.BasketTest
                [ERROR] shop.BasketTest.sizeCountsItems -- Time elapsed: 0.01 s <<< FAILURE!
                org.opentest4j.AssertionFailedError: expected: <2> but was: <3>
                [INFO]
                [ERROR] Failures:
                [ERROR]   BasketTest.sizeCountsItems:14 expected: <2> but was: <3>
                [ERROR] Errors:
                [ERROR]   BasketTest.addRejectsNull:20 NullPointer
                [ERROR] Tests run: 2, Failures: 1, Errors: 1, Skipped: 0
                """;
        assertEquals(List.of("shop.BasketTest.sizeCountsItems", "BasketTest.sizeCountsItems:14",
                "BasketTest.addRejectsNull:20"), FailingTests.named(log));
    }

    @Test
    void junitConsoleJunit4TapAndShellMessages() {
        assertEquals(List.of("shop.BasketTest.sizeCountsItems"), FailingTests.named(
                "    JUnit Jupiter:BasketTest:sizeCountsItems()\n      MethodSource [className = 'shop.BasketTest', "
                        + "methodName = 'sizeCountsItems', methodParameterTypes = '']\n"));
        assertEquals(List.of("sizeCountsItems(shop.BasketTest)"), FailingTests.named(
                "There was 1 failure:\n1) sizeCountsItems(shop.BasketTest)\njava.lang.AssertionError\n"));
        assertEquals(List.of("basket counts its items"), FailingTests.named("ok 1 - adds\nnot ok 2 - basket counts "
                + "its items\n"));
        assertEquals(List.of("checkout.sh: total is wrong"), FailingTests.named("FAIL: checkout.sh: total is wrong\n"));
    }

    @Test
    void withoutANamedTestTheLastLinesSayWhatHappened() {
        assertEquals("last output: b | c", FailingTests.describe("a\n\nb\nc\n\n", 2));
        assertEquals("no output", FailingTests.describe("", 3));
        assertEquals("failing tests: x.y, z", FailingTests.describe("FAIL x.y\nFAILED: z\n", 3));
    }

    @Test
    void benchmarkFiguresAreComparedWithATolerance() {
        assertEquals("mvn -q exec:java", Benchmarks.command("# the parse benchmark\n\n  mvn -q exec:java \nother"));
        assertEquals(null, Benchmarks.command("# nothing\n"));
        Map<String, Double> base = Benchmarks.figures("warming up\nBENCH parse 120\nBENCH bytes 1e3\nBENCH bad x\n");
        assertEquals(Map.of("parse", 120.0, "bytes", 1000.0), base);
        Map<String, Double> within = Map.of("parse", 131.0, "bytes", 900.0);
        assertEquals(List.of(), Benchmarks.regressions(base, within, 0.1));
        assertEquals(List.of("parse: 120 -> 150 (+25.0 %)"), Benchmarks.regressions(base,
                Map.of("parse", 150.0, "bytes", 1000.0), 0.1));
        assertEquals("parse 120 -> 150, bytes 1000 -> missing", Benchmarks.summary(base, Map.of("parse", 150.0)));
    }
}
