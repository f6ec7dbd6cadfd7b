package io.harmonix.propagator.internal.ingest;

/** Receives a peer's signed request; what the servlet answers. */
public interface Ingest {
    /**
     * @param status HTTP status
     * @param json the answer's body
     */
    record Answer(int status, String json) {
    }

    Answer receive(String peerId, String webhookId, String timestamp, String signature, byte[] body, String from);
}
