package io.gradus.core.data;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes DataHub's download path against a loopback HTTP server whose answer the fuzzer chooses:
 * the status code, the body, whether a Content-Length is sent (and whether it lies), whether the
 * connection is cut, and whether the SHA-1 the caller expects is the body's. Whatever the server
 * does, {@link DataHub#locate} returns a cached file whose bytes are the body with the expected
 * SHA-1, or throws an {@link IOException} that names the file; the cache holds no temporary file
 * afterwards, and a failed download leaves nothing in it.
 */
class DataHubDownloadFuzzTest {

    static final Path DIR = FuzzFiles.freshDirectory("gradus-download-fuzz");
    static final Path CACHE = DIR.resolve("cache");
    /** Loopback answers take milliseconds; a Content-Length the server never fills must fail fast, not hang. */
    static final DataHub HUB = new DataHub(List.of(), CACHE, false, java.time.Duration.ofMillis(500));

    /** What the server sends for the current input; one input runs at a time. */
    record Answer(int status, byte[] body, int lengthMode, boolean cut) {}

    static volatile Answer answer;
    static final HttpServer SERVER = startServer();

    static HttpServer startServer() {
        // Headers and body go out as separate small writes: with Nagle's algorithm against the
        // client's delayed ACK each exchange waited 40 ms (25 inputs a second).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/data.dat", exchange -> {
                Answer a = answer;
                // lengthMode 0: chunked (no Content-Length); 1: the true length; 2: a length longer than the body
                long length = switch (a.lengthMode()) {
                    case 0 -> 0;
                    case 1 -> a.body().length == 0 ? -1 : a.body().length;
                    default -> a.body().length + 7;
                };
                exchange.sendResponseHeaders(a.status(), length);
                try (var out = exchange.getResponseBody()) {
                    byte[] body = a.cut() ? Arrays.copyOf(a.body(), a.body().length / 2) : a.body();
                    out.write(body);
                } catch (IOException ignored) {
                    // the client went away (a short Content-Length or a cut): its side is what is tested
                }
                exchange.close();
            });
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void downloadsAVerifiedFileOrNamesItAndLeavesNothing(FuzzedDataProvider in) throws Exception {
        // Any final status; an informational one (1xx) makes the client wait for the real answer, as a
        // stalled server does: it fails by the timeout, so it is left to the rare hanging shape below.
        int status = in.pickValue(new int[] {200, 200, 200, 204, 301, 404, 500, in.consumeInt(200, 599)});
        // Mostly answers that finish (chunked or with the true length); rarely a Content-Length the body
        // never fills, which only the timeout ends (each costs the 0.5 s timeout, so they are kept rare).
        int shape = in.consumeInt(0, 127);
        int lengthMode = shape < 63 || shape == 127 ? 0 : shape < 126 ? 1 : 2;
        boolean cut = shape == 127;
        boolean rightSha1 = in.consumeBoolean();
        byte[] body = in.consumeRemainingAsBytes();
        answer = new Answer(status, body, lengthMode, cut);
        String sha1 = rightSha1 ? DataHubTest.sha1(body) : "0123456789abcdef0123456789abcdef01234567";
        int port = SERVER.getAddress().getPort();
        URI url = URI.create("http://127.0.0.1:" + port + "/data.dat");
        DataFile file = new DataFile("data.dat", sha1, url, List.of());
        FuzzFiles.deleteTree(CACHE);
        long start = System.nanoTime();
        // Jazzer's SSRF detector refuses every connection unless allowed: this one loopback server only.
        try (var loopbackOnly = BugDetectors.allowNetworkConnections((host, p) -> p == port && (host.equals("127.0.0.1") || host.equals("localhost")))) {
            Path got = HUB.locate(file);
            assertEquals(CACHE.resolve("data.dat"), got);
            assertArrayEquals(body, Files.readAllBytes(got), "the cached file is the body");
            assertEquals(sha1, DataHub.sha1(got));
            assertEquals(List.of("data.dat"), FuzzFiles.names(CACHE), "only the file in the cache");
        } catch (IOException e) {
            assertNotNull(e.getMessage(), "an IOException without a message");
            assertTrue(e.getMessage().contains("data.dat"), "does not name the file: " + e.getMessage());
            assertEquals(List.of(), FuzzFiles.names(CACHE), "a failed download leaves nothing in the cache");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5, "the download took " + seconds + " s against a 0.5 s timeout: a hang");
    }
}
