package io.harmonix.proposals.model.internal;

import io.harmonix.cycle.api.SecretMasker;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

/**
 * The model key as a {@link SecretMasker}: every string of the secret file (PID {@value ModelSettings#PID}, property
 * {@code secret}) is replaced by {@code ****} wherever a text shows it; a build log that printed it, say. Published
 * even when model-backed proposals are off: the file may exist all the same. The file is read at each call (it is
 * small, and a new key must be masked at once); one that cannot be parsed masks nothing of it but never fails.
 */
@Component(service = SecretMasker.class, configurationPid = ModelSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class ModelMasker implements SecretMasker {
    private volatile Path secretFile;

    public ModelMasker() {
    }

    ModelMasker(Path secretFile) {
        this.secretFile = secretFile;
    }

    @Activate
    @Modified
    void configure(ModelComponent.Config config, BundleContext context) {
        secretFile = ModelSettings.home(context).resolve(config.secret()).normalize();
    }

    @Override
    public String mask(String text) {
        if (text == null || secretFile == null) {
            return text == null ? "" : text;
        }
        List<String> secrets;
        try {
            secrets = ModelSecret.strings(secretFile);
        } catch (Refused e) {
            return text;
        }
        return mask(text, secrets);
    }

    static String mask(String text, List<String> secrets) {
        String out = text;
        for (String s : secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            out = out.replace(s, "****");
        }
        return out;
    }
}
