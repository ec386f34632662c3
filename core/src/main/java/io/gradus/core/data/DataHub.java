package io.gradus.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Finds dataset files on this machine, or downloads them once into a cache.
 *
 * <p>Places are searched in this order, and the first file whose SHA-1 matches wins:
 * <ol>
 *   <li>the directory in the system property {@code gradus.data};</li>
 *   <li>the directory in the environment variable {@code GRADUS_DATA};</li>
 *   <li>the cache directory ({@code -Dgradus.cache}, by default {@code ~/.cache/gradus});</li>
 *   <li>the file's well-known system directories (e.g. Debian's {@code /usr/share/datasets}).</li>
 * </ol>
 * Only then, if the file has a download address, it is fetched into the cache: written to a
 * temporary name, its SHA-1 checked, then renamed, so the cache never holds a partial or wrong
 * file. When the file cannot be had, one {@link IOException} lists every place looked at and how
 * to supply the file.
 */
public final class DataHub {

    public static final String DATA_PROPERTY = "gradus.data";
    public static final String DATA_ENV = "GRADUS_DATA";
    public static final String CACHE_PROPERTY = "gradus.cache";

    private final List<Path> dataDirs;
    private final Path cacheDir;
    private final boolean systemDirs;
    private final HttpClient http;
    private final Duration downloadTimeout;

    /** The longest a download may take, headers and body, before it fails: ample for Fashion-MNIST's 30 MB. */
    public static final Duration DEFAULT_DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);

    /**
     * @param dataDirs   directories searched first, in order
     * @param cacheDir   where downloads go (created when needed)
     * @param systemDirs whether to search each file's well-known system directories
     */
    public DataHub(List<Path> dataDirs, Path cacheDir, boolean systemDirs) {
        this(dataDirs, cacheDir, systemDirs, DEFAULT_DOWNLOAD_TIMEOUT);
    }

    /**
     * ... with {@code downloadTimeout} the longest one download may take: a server that stops
     * sending (a Content-Length it never fills, a stalled connection) fails after it with an
     * error naming the file, instead of hanging.
     */
    public DataHub(List<Path> dataDirs, Path cacheDir, boolean systemDirs, Duration downloadTimeout) {
        if (cacheDir == null) throw new IllegalArgumentException("cacheDir = null: expected a directory");
        if (downloadTimeout == null || downloadTimeout.isNegative() || downloadTimeout.isZero()) {
            throw new IllegalArgumentException("downloadTimeout = " + downloadTimeout + ": expected a positive duration");
        }
        this.dataDirs = List.copyOf(dataDirs);
        this.cacheDir = cacheDir;
        this.systemDirs = systemDirs;
        this.downloadTimeout = downloadTimeout;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(downloadTimeout.compareTo(Duration.ofSeconds(20)) < 0 ? downloadTimeout : Duration.ofSeconds(20))
                .build();
    }

    /** Configured from {@code -Dgradus.data}, {@code GRADUS_DATA} and {@code -Dgradus.cache}. */
    public static DataHub fromEnvironment() {
        List<Path> dirs = new ArrayList<>();
        String property = System.getProperty(DATA_PROPERTY);
        if (property != null && !property.isBlank()) dirs.add(Path.of(property));
        String env = System.getenv(DATA_ENV);
        if (env != null && !env.isBlank()) dirs.add(Path.of(env));
        String cache = System.getProperty(CACHE_PROPERTY);
        Path cacheDir = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "gradus");
        return new DataHub(dirs, cacheDir, true);
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * The path of a verified copy of {@code file}, downloading it into the cache if needed.
     *
     * @throws IOException naming every place looked at, and how to supply the file
     */
    public Path locate(DataFile file) throws IOException {
        List<String> looked = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        for (Path d : dataDirs) candidates.add(d.resolve(file.name()));
        candidates.add(cacheDir.resolve(file.name()));
        if (systemDirs) for (String d : file.systemDirs()) candidates.add(Path.of(d, file.name()));
        for (Path p : candidates) {
            if (!Files.isRegularFile(p)) {
                looked.add(p + " (not there)");
                continue;
            }
            if (file.sha1() == null) {
                return p; // checked by the file's reader
            }
            String sha1 = sha1(p);
            if (sha1.equals(file.sha1())) {
                return p;
            }
            looked.add(p + " (SHA-1 " + sha1 + ", expected " + file.sha1() + ")");
        }
        if (file.url() != null) {
            try {
                return download(file);
            } catch (IOException e) {
                looked.add(file.url() + " (download failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()) + ")");
            }
        }
        throw new IOException("cannot find " + file.name() + (file.sha1() == null ? "" : " (SHA-1 " + file.sha1() + ")")
                + ". Looked at:\n  " + String.join("\n  ", looked)
                + "\nSupply it by putting the file in a directory named by -D"
                + DATA_PROPERTY + "=DIR or the environment variable " + DATA_ENV + "=DIR, or in " + cacheDir
                + (file.url() != null ? ", or let Gradus download it from " + file.url() + " on a machine with internet"
                : "") + (file.advice() != null ? ". " + file.advice() : ""));
    }

    private Path download(DataFile file) throws IOException {
        Files.createDirectories(cacheDir);
        Path target = cacheDir.resolve(file.name());
        Path tmp = Files.createTempFile(cacheDir, file.name() + ".", ".part");
        try {
            HttpRequest request = HttpRequest.newBuilder(file.url()).timeout(downloadTimeout).GET().build();
            HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(tmp));
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            String sha1 = sha1(tmp);
            if (!sha1.equals(file.sha1())) {
                throw new IOException("downloaded file has SHA-1 " + sha1 + ", expected " + file.sha1());
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The SHA-1 of a file, as 40 lower-case hex digits. */
    public static String sha1(Path p) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
