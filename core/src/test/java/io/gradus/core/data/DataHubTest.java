package io.gradus.core.data;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/** DataHub against a real HTTP server on loopback, and its offline search order. */
class DataHubTest {

    static final byte[] CONTENT = "1\t2\t3\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;
    HttpServer server;
    AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/data.dat", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, CONTENT.length);
            exchange.getResponseBody().write(CONTENT);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    static String sha1(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data.dat");
    }

    @Test
    void downloadsOnceIntoTheCacheWhenTheSha1Matches() throws Exception {
        Path cache = tmp.resolve("cache");
        DataHub hub = new DataHub(List.of(tmp.resolve("empty")), cache, false);
        DataFile file = new DataFile("data.dat", sha1(CONTENT), url(), List.of());
        Path got = hub.locate(file);
        assertEquals(cache.resolve("data.dat"), got);
        assertArrayEquals(CONTENT, Files.readAllBytes(got));
        assertEquals(got, hub.locate(file), "the second call finds the cached copy");
        assertEquals(1, requests.get(), "downloaded once");
        try (var files = Files.list(cache)) {
            assertEquals(List.of(got), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void aWrongSha1LeavesNothingInTheCacheAndSaysWhy() throws Exception {
        Path cache = tmp.resolve("cache");
        DataHub hub = new DataHub(List.of(), cache, false);
        DataFile file = new DataFile("data.dat", "0123456789abcdef0123456789abcdef01234567", url(), List.of());
        IOException e = assertThrows(IOException.class, () -> hub.locate(file));
        assertTrue(e.getMessage().contains("downloaded file has SHA-1 " + sha1(CONTENT)), e.getMessage());
        try (var files = Files.list(cache)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void searchesDataDirectoriesBeforeTheCacheAndSkipsWrongCopies() throws Exception {
        Path first = Files.createDirectories(tmp.resolve("first"));
        Path second = Files.createDirectories(tmp.resolve("second"));
        Files.write(first.resolve("data.dat"), "corrupt".getBytes(StandardCharsets.US_ASCII));
        Files.write(second.resolve("data.dat"), CONTENT);
        DataHub hub = new DataHub(List.of(first, second), tmp.resolve("cache"), false);
        assertEquals(second.resolve("data.dat"), hub.locate(new DataFile("data.dat", sha1(CONTENT), url(), List.of())));
        assertEquals(0, requests.get(), "found offline: no download");
    }

    @Test
    void missingEverywhereListsEveryPlaceAndHowToSupplyTheFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        DataHub hub = new DataHub(List.of(dir), tmp.resolve("cache"), true);
        server.stop(0); // the download fails too
        DataFile file = new DataFile("data.dat", sha1(CONTENT), url(), List.of(tmp.resolve("system").toString()));
        IOException e = assertThrows(IOException.class, () -> hub.locate(file));
        String m = e.getMessage();
        assertTrue(m.contains(dir.resolve("data.dat") + " (not there)"), m);
        assertTrue(m.contains(tmp.resolve("cache").resolve("data.dat") + " (not there)"), m);
        assertTrue(m.contains(tmp.resolve("system").resolve("data.dat") + " (not there)"), m);
        assertTrue(m.contains(url() + " (download failed"), m);
        assertTrue(m.contains("GRADUS_DATA=DIR"), m);
    }

    @Test
    void badDataFileArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DataFile("a/b", "0".repeat(40), null, null));
        assertEquals("name = a/b: expected a plain file name", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DataFile("a", "xyz", null, null));
        assertEquals("sha1 = xyz: expected 40 hex digits", e.getMessage());
    }
}
