package io.fluxrig.snake.api.fanout;

/**
 * The operator API's fan-out paths (same HTTPS endpoint and bearer token as the rest):
 * {@code POST /api/fanouts} (a {@link FanOutRequest}; answers 201 with the {@link FanOut}) and
 * {@code GET /api/fanouts/{id}?state=S[,S]} (the summary; {@code state} keeps only the racks in
 * those summary states in {@code racks}, the counts always cover every rack).
 */
public final class FanOutPaths {
    /** The collection. */
    public static final String FANOUTS = "/api/fanouts";
    /** Query parameter of {@link #fanOut}: summary states, comma-separated. */
    public static final String STATE = "state";

    private FanOutPaths() {
    }

    /** @param id a fan-out id @return its path */
    public static String fanOut(String id) {
        return FANOUTS + "/" + id;
    }
}
