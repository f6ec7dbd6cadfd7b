package io.harmonix.console.internal;

/** A request the console refuses: the HTTP status and the sentence that goes into the JSON error. */
class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException notFound(String what) {
        return new ApiException(404, what);
    }

    static ApiException badRequest(String what) {
        return new ApiException(400, what);
    }

    /** 405: the path answers another method ({@code Allow}). */
    static final class WrongMethod extends ApiException {
        private static final long serialVersionUID = 1L;
        private final String allow;

        WrongMethod(String allow, String message) {
            super(405, message);
            this.allow = allow;
        }

        String allow() {
            return allow;
        }
    }
}
