package io.mediasuite.invalidation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The objects a static-site deploy writes, laid out like a real site: HTML pages in directories (blog posts as
 * {@code blog/<year>/<slug>/index.html}, documentation sections, product pages, a few root pages), bundler
 * output with content-hashed names (webpack's {@code static/js/12.3f9a1c2b.chunk.js}, Vite's
 * {@code assets/index-BpXZL7ax.js}, hashed media), un-hashed images in category folders and the usual root files. Seeded, so every run is the same.
 *
 * <p>Shares of a deploy: about 30 % pages, 40 % hashed bundles and media, 30 % images.
 */
final class SiteLayout {

    private static final String[] ROOT_FILES = {"index.html", "robots.txt", "sitemap.xml", "favicon.ico"};
    private static final String[] ROOT_PAGES = {"about.html", "contact.html", "pricing.html", "careers.html",
            "privacy.html", "terms.html", "404.html", "search.html"};
    private static final String[] WORDS = {"cloud", "edge", "cache", "deploy", "media", "guide", "summer", "launch",
            "notes", "update", "report", "story", "design", "tips", "api", "team"};

    private SiteLayout() {
    }

    /** The keys of a deploy of {@code objects} objects. */
    static List<String> deploy(int objects, long seed) {
        Random random = new Random(seed);
        Set<String> keys = new LinkedHashSet<>();
        for (String root : ROOT_FILES) {
            if (keys.size() < objects) {
                keys.add(root);
            }
        }
        int sections = Math.max(2, objects / 200);
        while (keys.size() < objects) {
            int kind = random.nextInt(10);
            int n = random.nextInt(Math.max(8, objects));
            String word = WORDS[random.nextInt(WORDS.length)];
            String key;
            if (kind < 3) {
                key = switch (random.nextInt(4)) {
                    case 0 -> "blog/" + (2020 + random.nextInt(6)) + "/" + word + "-" + n + "/index.html";
                    case 1 -> "docs/section-" + random.nextInt(sections) + "/" + word + "-" + n + ".html";
                    case 2 -> "products/category-" + random.nextInt(sections) + "/" + word + "-" + n + ".html";
                    default -> ROOT_PAGES[random.nextInt(ROOT_PAGES.length)];
                };
            } else if (kind < 7) {
                key = switch (random.nextInt(4)) {
                    case 0 -> "static/js/" + n + "." + hex(random, 8) + ".chunk.js";
                    case 1 -> "static/css/" + word + "." + hex(random, 8) + ".css";
                    case 2 -> "assets/" + word + "-" + base64url(random, 8) + ".js";
                    default -> "static/media/" + word + "." + hex(random, 8) + ".svg";
                };
            } else {
                key = "images/" + word + "/" + word + "-" + n + (random.nextBoolean() ? ".jpg" : ".webp");
            }
            keys.add(key);
        }
        return new ArrayList<>(keys);
    }

    private static String base64url(Random random, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        StringBuilder hash = new StringBuilder();
        while (hash.length() < length) {
            hash.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return hash.toString();
    }

    private static String hex(Random random, int length) {
        StringBuilder hex = new StringBuilder();
        while (hex.length() < length) {
            hex.append(Integer.toHexString(random.nextInt(16)));
        }
        return hex.toString();
    }
}
