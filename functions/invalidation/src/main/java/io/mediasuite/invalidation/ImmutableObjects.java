package io.mediasuite.invalidation;

import java.util.function.Predicate;

/** Decides which changed objects need no invalidation because their URL's content can never change. */
public final class ImmutableObjects {

    private ImmutableObjects() {
    }

    /** By file name, with {@code IMMUTABLE_KEY_PATTERN}. */
    public static Predicate<ObjectChange> byName(InvalidationConfig config) {
        return config.immutableKeyPattern()
                .<Predicate<ObjectChange>>map(pattern -> change -> pattern.matcher(
                        change.key().substring(change.key().lastIndexOf('/') + 1)).matches())
                .orElse(change -> false);
    }
}
