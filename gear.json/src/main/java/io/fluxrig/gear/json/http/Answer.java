package io.fluxrig.gear.json.http;

/**
 * A backend's response as the gear uses it: the status and the whole body (read into memory by
 * the client, up to {@link #MAX_BODY} bytes). Immutable.
 *
 * @param status the HTTP status
 * @param body the body, empty when there was none
 */
record Answer(int status, byte[] body) {
    /** The largest response body read; a larger one fails the attempt. */
    static final int MAX_BODY = 8 * 1024 * 1024;
}
