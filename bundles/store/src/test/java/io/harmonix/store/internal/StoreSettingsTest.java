package io.harmonix.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.config.api.ConfigCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** {@code etc/io.harmonix.store.cfg} as DS hands it to {@link StoreComponent} (the OSGi converter follows its rules). */
class StoreSettingsTest {
    private static final Path DATA = Path.of("/srv/hx/data");
    private static final Path ETC = Path.of("/srv/hx/etc");

    private static ConfigCheck.Result<StoreSettings> read(Map<String, ?> properties) {
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) properties;
        return StoreSettings.read(Converters.standardConverter().convert(properties).to(StoreComponent.Config.class),
                props, DATA, ETC);
    }

    @Test
    void noConfigurationIsDerbyInTheDataFolderAsBefore() {
        StoreSettings s = read(Map.of()).orElseThrow();
        assertEquals(new StoreSettings("derby", DATA.resolve("derby"), "", "", ETC.resolve("store.password"), 16,
                Duration.ofSeconds(30)), s);
        assertTrue(s.derby());
    }

    @Test
    void postgresqlTakesItsUrlUserAndPasswordFileUnderEtc() {
        StoreSettings s = read(Map.of("provider", "PostgreSQL", "url", "jdbc:postgresql://db.example:5432/harmonix",
                "user", "hx", "passwordFile", "secrets/db.password", "poolSize", "8")).orElseThrow();
        assertEquals(new StoreSettings("postgresql", DATA.resolve("derby"), "jdbc:postgresql://db.example:5432/harmonix",
                "hx", ETC.resolve("secrets/db.password"), 8, Duration.ofSeconds(30)), s);
        assertFalse(s.derby());
        assertEquals("jdbc:postgresql://db.example:5432/harmonix as hx", s.where());
    }

    @Test
    void derbyIgnoresThePostgresKeysButKnowsThem() {
        ConfigCheck.Result<StoreSettings> r = read(Map.of("url", "not a url", "user", "hx"));
        assertTrue(r.accepted(), r.problems().toString());
        assertEquals("", r.settings().url());
        assertEquals(java.util.List.of(), r.warnings(), "no 'unknown key' warning for the other provider's keys");
    }

    @Test
    void anUnknownProviderIsRefusedNamingTheChoices() {
        ConfigCheck.Result<StoreSettings> r = read(Map.of("provider", "mysql"));
        assertFalse(r.accepted());
        assertEquals(java.util.List.of("provider = 'mysql': expected derby or postgresql"), r.problems());
    }

    @Test
    void postgresqlNeedsAUrlOfItsOwnAndAUser() {
        ConfigCheck.Result<StoreSettings> r = read(Map.of("provider", "postgresql", "url", "jdbc:derby:x"));
        assertFalse(r.accepted());
        assertEquals(java.util.List.of("url = 'jdbc:derby:x': expected a PostgreSQL JDBC URL, "
                + "jdbc:postgresql://HOST:PORT/DATABASE", "user = '': expected a value"), r.problems());
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutBeingRepeated() {
        for (String url : new String[] {"jdbc:postgresql://db/hx?user=hx&password=Hunter2",
                "jdbc:postgresql://hx:Hunter2@db/hx", "postgresql://hx:Hunter2@db/hx" /* as psql takes it */}) {
            ConfigCheck.Result<StoreSettings> r = read(Map.of("provider", "postgresql", "url", url, "user", "hx"));
            assertFalse(r.accepted(), url);
            assertEquals(1, r.problems().size(), r.problems().toString());
            assertTrue(r.problems().get(0).startsWith("url = (not shown: it holds a password) the password goes in "
                    + "the file that passwordFile names"), r.problems().get(0));
            assertFalse(r.refusal().contains("Hunter2"), r.refusal());
        }
    }
}
