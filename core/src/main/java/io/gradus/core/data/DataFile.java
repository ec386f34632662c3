package io.gradus.core.data;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * A file a dataset needs: its name, its SHA-1, where it can be downloaded (or null when Gradus
 * does not download it), system directories where a package may have installed it, and advice
 * for a user who has none of these.
 *
 * @param name       the file name, also its name in the cache and in data directories
 * @param sha1       40 lower-case hex digits; null when copies legitimately differ byte for byte
 *                   (re-compressed archives) and the file's reader checks its structure instead
 * @param url        the public download address, or null
 * @param systemDirs well-known directories to search, e.g. Debian's {@code /usr/share/datasets/...}
 * @param advice     one sentence on how to obtain the file, or null
 */
public record DataFile(String name, String sha1, URI url, List<String> systemDirs, String advice) {

    public DataFile {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("name = " + name + ": expected a plain file name");
        }
        if (sha1 != null && !sha1.toLowerCase(Locale.ROOT).matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("sha1 = " + sha1 + ": expected 40 hex digits");
        }
        if (sha1 == null && url != null) {
            throw new IllegalArgumentException(name + ": a file downloaded from " + url + " needs a SHA-1");
        }
        sha1 = sha1 == null ? null : sha1.toLowerCase(Locale.ROOT);
        systemDirs = systemDirs == null ? List.of() : List.copyOf(systemDirs);
    }

    /** A file with a SHA-1, a download address and no advice. */
    public DataFile(String name, String sha1, URI url, List<String> systemDirs) {
        this(name, sha1, url, systemDirs, null);
    }
}
