package io.harmonix.agent.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** An instance of the security agent: {@code etc/io.harmonix.agent.security-NAME.cfg}. */
@ObjectClassDefinition(name = "Harmonix security agent",
        description = "Secrets (gitleaks rules) in the tree and the git history, vulnerable dependencies (OSV "
                + "advisories imported with enhance:advisories import), insecure Java API use.")
public @interface SecurityConfig {
    @AttributeDefinition(description = "The git working tree to analyse; relative paths are taken from "
            + "harmonix.home. A run's input target=PATH overrides it.")
    String target() default "";

    @AttributeDefinition(description = "Sub-paths of the target to analyse (bundles/runner); none for all.")
    String[] components() default {};

    @AttributeDefinition(description = "Look for secrets in the working tree.")
    boolean secrets() default true;

    @AttributeDefinition(description = "Look for secrets in the lines every commit of every ref added.")
    boolean history() default true;

    @AttributeDefinition(description = "Check pom.xml, package.json and package-lock.json against the advisories.")
    boolean dependencies() default true;

    @AttributeDefinition(description = "Apply the insecure-API rules to Java sources.")
    boolean insecureApi() default true;

    @AttributeDefinition(description = "Rule ids not applied: secrets/<gitleaks id>, dependency/vulnerable, "
            + "dependency/unchecked, java/<rule>.")
    String[] disabledRules() default {};

    @AttributeDefinition(description = "A gitleaks TOML file used instead of the shipped rule set; relative "
            + "paths are taken from harmonix.home.")
    String gitleaksConfig() default "";

    @AttributeDefinition(description = "Files larger than this many bytes are not read (reported as not "
            + "analysed).", min = "1")
    long maxFileBytes() default 2_000_000;
}
