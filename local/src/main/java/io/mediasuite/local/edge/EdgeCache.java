package io.mediasuite.local.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The edge's cache: responses by cache key, least recently used first out when the byte budget is spent. Each
 * entry remembers the URIs an invalidation may name it by: the URI its key holds (after the viewer-request function
 * and default root object) and the URIs viewers asked for (CloudFront's guide asks to invalidate both when a
 * function changes the URI; locally either one purges).
 */
final class EdgeCache {

    /** One cached response. */
    static final class Entry {
        final String key;
        final String uri;
        final Set<String> viewerUris = new LinkedHashSet<>();
        final Origins.Response response;
        volatile Instant stored;
        volatile Duration ttl;

        Entry(String key, String uri, Origins.Response response, Instant stored, Duration ttl) {
            this.key = key;
            this.uri = uri;
            this.response = response;
            this.stored = stored;
            this.ttl = ttl;
        }

        boolean fresh(Instant now) {
            return now.isBefore(stored.plus(ttl));
        }

        long ageSeconds(Instant now) {
            return Math.max(0, Duration.between(stored, now).toSeconds());
        }

        boolean matches(String invalidationPath) {
            if (Paths.invalidationCovers(invalidationPath, uri)) {
                return true;
            }
            synchronized (viewerUris) {
                return viewerUris.stream().anyMatch(viewer -> Paths.invalidationCovers(invalidationPath, viewer));
            }
        }

        void servedAs(String viewerUri) {
            synchronized (viewerUris) {
                // A handful is all one object is requested by (/dir/ and /dir/index.html); bound it regardless.
                if (viewerUris.size() < 16) {
                    viewerUris.add(viewerUri);
                }
            }
        }
    }

    private final long capacityBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    EdgeCache(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    synchronized Entry get(String key) {
        return entries.get(key);
    }

    synchronized void put(Entry entry) {
        Entry previous = entries.put(entry.key, entry);
        if (previous != null) {
            bytes -= previous.response.body().length;
        }
        bytes += entry.response.body().length;
        Iterator<Entry> oldest = entries.values().iterator();
        while (bytes > capacityBytes && oldest.hasNext()) {
            Entry evicted = oldest.next();
            if (evicted == entry) {
                continue;
            }
            oldest.remove();
            bytes -= evicted.response.body().length;
        }
    }

    /** Removes every entry one of the invalidation's paths covers; returns how many. */
    synchronized int purge(List<String> invalidationPaths) {
        int purged = 0;
        Iterator<Entry> all = entries.values().iterator();
        while (all.hasNext()) {
            Entry entry = all.next();
            if (invalidationPaths.stream().anyMatch(entry::matches)) {
                all.remove();
                bytes -= entry.response.body().length;
                purged++;
            }
        }
        return purged;
    }

    synchronized void clear() {
        entries.clear();
        bytes = 0;
    }

    synchronized List<Entry> snapshot() {
        return new ArrayList<>(new LinkedHashMap<>(entries).values());
    }
}
