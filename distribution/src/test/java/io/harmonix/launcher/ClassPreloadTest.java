package io.harmonix.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.hooks.weaving.WeavingHook;

/**
 * The class preloading of a start, on a real Felix with bundles made here: the training records what the bundles
 * define, in order; a later start's preloading defines the listed classes without initializing one, and leaves the
 * bundles SPI Fly weaves alone.
 */
class ClassPreloadTest {
    /** Set by the static initializer of {@link Probe}: that it stays unset says the class was not initialized. */
    static final String INITIALIZED = "harmonix.test.preload.initialized";

    @TempDir
    Path dir;

    private Felix felix;

    /** A class the test bundles hold a copy of: their class loader defines it, not the test's. */
    public static final class Probe {
        static {
            System.setProperty(INITIALIZED, "yes");
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (felix != null) {
            felix.stop();
            felix.waitForStop(10_000);
        }
        System.clearProperty(INITIALIZED);
    }

    @Test
    void theTrainingRecordsWhatTheBundlesDefineInOrder() throws Exception {
        Bundle plain = boot("test.plain", Map.of());
        ClassPreload.Recording recording = ClassPreload.record(felix.getBundleContext());
        plain.loadClass(Probe.class.getName());
        plain.loadClass(ClassPreloadTest.class.getName());
        Path list = dir.resolve("harmonix.classes");
        recording.write(list);
        assertEquals(List.of("test.plain " + Probe.class.getName(), "test.plain " + ClassPreloadTest.class.getName()),
                Files.readAllLines(list));
    }

    @Test
    void aLaterStartDefinesTheListedClassesWithoutInitializingThemAndPassesOverWhatIsGone() throws Exception {
        Bundle plain = boot("test.plain", Map.of());
        Bundle consumer = installed("test.consumer", Map.of("Require-Capability",
                "osgi.extender;filter:=\"(osgi.extender=osgi.serviceloader.processor)\";resolution:=optional"));
        felix.adapt(org.osgi.framework.wiring.FrameworkWiring.class).resolveBundles(List.of(plain, consumer));
        List<String> defined = definedClasses();
        Path list = Files.write(dir.resolve("harmonix.classes"), List.of(
                "test.absent " + Probe.class.getName(),
                "test.plain io.harmonix.launcher.NoSuchClass",
                "test.consumer " + Probe.class.getName(),
                "not a line of the list",
                "test.plain " + Probe.class.getName()));

        Thread preload = ClassPreload.start(felix, List.of(plain, consumer), list);
        preload.join(10_000);
        assertFalse(preload.isAlive());
        assertEquals(List.of("test.plain " + Probe.class.getName()), defined,
                "only the plain bundle's class; the consumer's waits for SPI Fly");
        assertNull(System.getProperty(INITIALIZED), "loaded, never initialized");
        Class<?> probe = plain.loadClass(Probe.class.getName());
        assertTrue(probe.getClassLoader() != getClass().getClassLoader(), "the bundle's own copy");
        probe.getConstructor().newInstance();
        assertEquals("yes", System.getProperty(INITIALIZED), "initialized at its first use, as without preloading");
    }

    @Test
    void aBundleThatDidNotResolveIsNotAskedForItsClassesAgainAndAgain() throws Exception {
        Bundle plain = boot("test.plain", Map.of());
        Bundle broken = installed("test.broken", Map.of("Import-Package", "no.such.pkg"));
        felix.adapt(org.osgi.framework.wiring.FrameworkWiring.class).resolveBundles(List.of(plain, broken));
        List<FrameworkEvent> errors = Collections.synchronizedList(new ArrayList<>());
        felix.getBundleContext().addFrameworkListener(e -> {
            if (e.getType() == FrameworkEvent.ERROR) {
                errors.add(e);
            }
        });
        Path list = Files.write(dir.resolve("harmonix.classes"), List.of(
                "test.broken " + Probe.class.getName(), "test.broken " + ClassPreloadTest.class.getName(),
                "test.plain " + Probe.class.getName()));

        Thread preload = ClassPreload.start(felix, List.of(plain, broken), list);
        preload.join(10_000);
        Thread.sleep(200); // framework events are delivered on Felix's dispatch thread
        assertEquals(List.of(), errors, "no resolution tried again for each of its classes");
        assertEquals(Bundle.INSTALLED, broken.getState());
    }

    @Test
    void noListNoThread() throws Exception {
        Bundle plain = boot("test.plain", Map.of());
        assertNull(ClassPreload.start(felix, List.of(plain), dir.resolve("missing")));
        Path flipped = Files.write(dir.resolve("flipped"), new byte[] {'t', 'e', 's', 't', (byte) 0xC3, ' ', 'x'});
        assertNull(ClassPreload.start(felix, List.of(plain), flipped), "a damaged list: the start goes without");
        assertTrue(ClassPreload.wovenByServiceLoaderMediator(
                installed("test.spi", Map.of("SPI-Consumer", "java.util.ServiceLoader#load"))));
        assertFalse(ClassPreload.wovenByServiceLoaderMediator(plain));
    }

    private Bundle boot(String symbolicName, Map<String, String> headers) throws Exception {
        felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        felix.start();
        return installed(symbolicName, headers);
    }

    private Bundle installed(String symbolicName, Map<String, String> headers) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        headers.forEach(main::putValue);
        Path jar = dir.resolve(symbolicName + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Class<?> c : List.of(Probe.class, ClassPreloadTest.class)) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = getClass().getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
            }
        }
        Bundle b = felix.getBundleContext().installBundle(jar.toUri().toString());
        assertNotNull(b);
        return b;
    }

    /** The classes the bundles define from now on, as "symbolic-name class-name" (a weaving hook sees each). */
    private List<String> definedClasses() {
        List<String> defined = Collections.synchronizedList(new ArrayList<>());
        WeavingHook hook = woven -> defined.add(woven.getBundleWiring().getBundle().getSymbolicName() + " "
                + woven.getClassName());
        felix.getBundleContext().registerService(WeavingHook.class, hook, null);
        return defined;
    }
}
