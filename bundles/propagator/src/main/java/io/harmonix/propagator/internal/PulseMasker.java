package io.harmonix.propagator.internal;

import io.harmonix.cycle.api.SecretMasker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

/**
 * The propagator's secrets as a {@link SecretMasker}: every string of its {@code pulse.json} (signing keys, bearer
 * tokens; the path from the propagator's own configuration, PID {@value PropagatorSettings#PID}) is replaced by
 * {@code ****} wherever a text shows it. The file is read again when it changed; one that cannot be read makes
 * {@link #mask} fail, so that the caller withholds the text rather than pass on what might hold a secret.
 */
@Component(service = SecretMasker.class, configurationPid = PropagatorSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class PulseMasker implements SecretMasker {
    private volatile Path pulseFile;
    /** The secrets read, longest first (one that contains another is replaced whole), and the file's text then. */
    private volatile Known known = new Known("", List.of());

    private record Known(String stamp, List<String> secrets) {
    }

    public PulseMasker() {
    }

    /** For tests: the masker of one file. */
    PulseMasker(Path pulseFile) {
        this.pulseFile = pulseFile;
    }

    @Activate
    @Modified
    void configure(PropagatorComponent.Config config, BundleContext context) {
        String home = context.getProperty("harmonix.home");
        pulseFile = Path.of(home == null ? "." : home).resolve(config.pulse()).normalize();
    }

    @Override
    public String mask(String text) {
        String out = text;
        for (String secret : secrets()) {
            out = out.replace(secret, "****");
        }
        return out;
    }

    private List<String> secrets() {
        Path file = pulseFile;
        String stamp;
        try {
            // its whole text: a rewrite within one clock tick and of the same size is seen too (the file is small)
            stamp = Files.exists(file) ? Files.readString(file, java.nio.charset.StandardCharsets.UTF_8) : "";
            Known k = known;
            if (k.stamp().equals(stamp)) {
                return k.secrets();
            }
            List<String> secrets = MeshConfig.secretStrings(file).stream()
                    .sorted(Comparator.comparingInt(String::length).reversed()).toList();
            known = new Known(stamp, secrets);
            return secrets;
        } catch (IOException e) {
            throw new IllegalStateException("the propagator's secrets could not be read from " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
