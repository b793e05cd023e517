package io.fluxrig.console.guard;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The user and password of an HTTP Basic {@code Authorization} header (RFC 7617, UTF-8).
 *
 * @param user the user
 * @param password the password (the caller clears it when done)
 */
record BasicCredentials(String user, char[] password) {

    /**
     * @param header the {@code Authorization} header, or null
     * @return the credentials, or null when the header is missing, not Basic or malformed
     */
    static BasicCredentials parse(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).equalsIgnoreCase("Basic")) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(h.substring(space + 1).strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw));
        } catch (CharacterCodingException e) {
            return null;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        char[] all = new char[chars.remaining()];
        chars.get(all);
        int colon = -1;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            Arrays.fill(all, '\0');
            return null;
        }
        String user = new String(all, 0, colon);
        char[] password = Arrays.copyOfRange(all, colon + 1, all.length);
        Arrays.fill(all, '\0');
        return new BasicCredentials(user, password);
    }

    void clear() {
        Arrays.fill(password, '\0');
    }
}
