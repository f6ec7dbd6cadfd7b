package io.harmonix.proposals.model.internal;

/**
 * Why no proposal was made for a finding: the model's answer was not a diff of the finding's file, the endpoint
 * failed or refused, its key or prompt could not be read. The message says so in a sentence and never holds the key
 * (every text that might, such as an error body, is masked before it gets here).
 */
final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String reason) {
        super(reason);
    }
}
