package io.mediasuite.thumbnails.pipeline.png;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import io.mediasuite.common.ApiException;
import io.mediasuite.thumbnails.pipeline.CorruptImageException;
import io.mediasuite.thumbnails.pipeline.Deadline;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inflate stage against the JDK's zlib as the encoder: every kind of data deflate produces (stored, fixed and
 * dynamic Huffman blocks; literals only; long, overlapping and far matches; outputs many times the window) read
 * back in batches of every size, and corrupt streams (truncated, mutated, hand-made violations) refused with
 * {@link CorruptImageException} only, in bounded time.
 */
class PngInflaterTest {

    @ParameterizedTest(name = "zlib level {0}")
    @ValueSource(ints = {0, 1, 6, 9})
    void readFully_shouldReturnWhatZlibCompressed_forEveryKindOfData(int level) {
        Random random = new Random(level);
        for (int kind = 0; kind < 6; kind++) {
            for (int size : new int[] {1, 300, 40_000, 700_000}) {
                // given
                byte[] data = data(kind, size, random);
                for (int strategy : new int[] {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED, Deflater.HUFFMAN_ONLY}) {
                    byte[] z = deflate(data, level, strategy);
                    int batch = 1 + random.nextInt(300_000);
                    PngInflater inflater = new PngInflater(z, 0, z.length, batch, Deadline.none());

                    // when: read in pieces of random sizes up to the batch
                    byte[] got = new byte[data.length];
                    for (int at = 0; at < got.length; ) {
                        int n = Math.min(got.length - at, 1 + random.nextInt(batch));
                        inflater.readFully(got, at, n);
                        at += n;
                    }

                    // then
                    assertArrayEquals(data, got, "kind " + kind + ", size " + size + ", strategy " + strategy);
                }
            }
        }
    }

    @Test
    void readFully_shouldThrowCorruptImage_whenTheStreamIsTruncated() {
        byte[] data = data(3, 100_000, new Random(1));
        byte[] z = deflate(data, 6, Deflater.DEFAULT_STRATEGY);
        for (int cut : new int[] {2, 3, 10, z.length / 2, z.length - 5}) {
            PngInflater inflater = new PngInflater(z, 0, cut, 4096, Deadline.none());
            assertThrows(CorruptImageException.class, () -> inflater.readFully(new byte[data.length], 0, data.length),
                    "cut at " + cut);
        }
    }

    @Test
    void readFully_shouldNeverReturnMoreThanTheInputHolds_whenCutAnywhere() {
        // given: a stream of 65 600 bytes cut at each of its last 600 lengths; zlib says how much each cut holds
        byte[] data = data(3, 65_600, new Random(3));
        byte[] z = deflate(data, 6, Deflater.DEFAULT_STRATEGY);
        for (int cut = z.length - 600; cut < z.length - 4; cut++) {
            int holds = zlibInflatable(z, cut);
            // when: asking for exactly one byte more than the cut holds
            PngInflater inflater = new PngInflater(z, 0, cut, 32_768, Deadline.none());
            byte[] got = new byte[holds + 1];
            // then: never bytes made up from the zero padding past the end
            int at = cut;
            assertThrows(CorruptImageException.class, () -> inflater.readFully(got, 0, got.length), "cut " + at);
        }
    }

    @Test
    void readFully_shouldBeFast_whenAStreamIsMostlyEmptyFixedBlocks() {
        // given: a megabyte of empty fixed-Huffman blocks (10 bits each, 800 000 blocks), then one literal
        Bits bits = new Bits();
        for (int i = 0; i < 800_000; i++) {
            bits.put(0, 1).put(1, 2).code(0, 7);
        }
        bits.put(1, 1).put(1, 2).code(0b00110000, 8).code(0, 7); // last block: literal 0, end of block
        byte[] z = bits.zlib();

        // when / then: the fixed tables are not rebuilt per block
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            new PngInflater(z, 0, z.length, 16, Deadline.none()).readFully(new byte[1], 0, 1);
        });
    }

    @Test
    void readFully_shouldStopAtTheDeadline_whenBlocksKeepComingWithoutOutput() {
        // given: many empty fixed blocks, and a deadline that has passed
        Bits bits = new Bits();
        for (int i = 0; i < 10_000; i++) {
            bits.put(0, 1).put(1, 2).code(0, 7);
        }
        byte[] z = bits.zlib();
        PngInflater inflater = new PngInflater(z, 0, z.length, 16, Deadline.inMillis(0));

        // when / then
        assertThrows(ApiException.class, () -> inflater.readFully(new byte[1], 0, 1));
    }

    @Test
    void readFully_shouldOnlyEverThrowCorruptImage_whenStreamsAreMutated() {
        Random random = new Random(5);
        byte[] data = data(4, 200_000, random);
        byte[] z = deflate(data, 6, Deflater.DEFAULT_STRATEGY);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int trial = 0; trial < 3000; trial++) {
                // given: 1-4 bytes of the stream (after the header) replaced by random values
                byte[] bad = z.clone();
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    bad[2 + random.nextInt(bad.length - 2)] = (byte) random.nextInt(256);
                }
                // when / then: either some output or a CorruptImageException, nothing else
                try {
                    new PngInflater(bad, 0, bad.length, 65_536, Deadline.none())
                            .readFully(new byte[data.length], 0, data.length);
                } catch (CorruptImageException expected) {
                    // refused
                } catch (RuntimeException e) {
                    fail("trial " + trial + ": " + e);
                }
            }
        });
    }

    @Test
    void constructor_shouldThrowCorruptImage_whenTheZlibHeaderIsWrong() {
        assertThrows(CorruptImageException.class,
                () -> new PngInflater(new byte[] {0x78, 0x00, 0, 0}, 0, 4, 10, Deadline.none()));
        assertThrows(CorruptImageException.class,
                () -> new PngInflater(new byte[] {0x79, (byte) 0x9C}, 0, 2, 10, Deadline.none()));
        // FDICT set (0x78 0xBB is a valid check value with the dictionary flag)
        assertThrows(CorruptImageException.class,
                () -> new PngInflater(new byte[] {0x78, (byte) 0xBB, 0, 0}, 0, 4, 10, Deadline.none()));
    }

    @Test
    void readFully_shouldThrowCorruptImage_whenAMatchReachesBeforeTheStart() {
        // given: a fixed-Huffman block whose first symbol is a match of 3 at distance 1 (nothing before it)
        Bits bits = new Bits();
        bits.put(1, 1).put(1, 2); // last block, fixed Huffman
        bits.code(0b0000001, 7); // length symbol 257: 3
        bits.code(0, 5); // distance symbol 0: 1
        bits.code(0, 7); // end of block
        byte[] z = bits.zlib();

        // when / then
        PngInflater inflater = new PngInflater(z, 0, z.length, 16, Deadline.none());
        assertThrows(CorruptImageException.class, () -> inflater.readFully(new byte[3], 0, 3));
    }

    @Test
    void readFully_shouldThrowCorruptImage_whenAStoredBlockLengthDoesNotMatchItsComplement() {
        // given: a stored block with LEN 5 and NLEN not its complement
        byte[] z = {0x78, 0x01, 0x01, 5, 0, 0, 0, 1, 2, 3, 4, 5};

        // when / then
        PngInflater inflater = new PngInflater(z, 0, z.length, 16, Deadline.none());
        assertThrows(CorruptImageException.class, () -> inflater.readFully(new byte[5], 0, 5));
    }

    @Test
    void readFully_shouldThrowCorruptImage_whenTheBlockTypeIsReserved() {
        Bits bits = new Bits();
        bits.put(1, 1).put(3, 2); // block type 3
        byte[] z = bits.zlib();
        PngInflater inflater = new PngInflater(z, 0, z.length, 16, Deadline.none());
        assertThrows(CorruptImageException.class, () -> inflater.readFully(new byte[1], 0, 1));
    }

    @Test
    void build_shouldRefuseOverSubscribedAndIncompleteCodes() {
        int[] table = new int[1 << 15];
        // three codes of one bit: over-subscribed
        assertThrows(CorruptImageException.class,
                () -> PngInflater.build(new int[] {1, 1, 1}, 0, 3, table, 7, PngInflater.CODE_LENGTHS));
        // two codes of two bits: incomplete, not allowed for code length codes nor for two or more symbols
        assertThrows(CorruptImageException.class,
                () -> PngInflater.build(new int[] {2, 2}, 0, 2, table, 7, PngInflater.CODE_LENGTHS));
        assertThrows(CorruptImageException.class,
                () -> PngInflater.build(new int[] {2, 2}, 0, 2, table, 8, PngInflater.DISTANCES));
        // a single distance code of one bit is allowed (zlib accepts it)
        PngInflater.build(new int[] {0, 1}, 0, 2, table, 8, PngInflater.DISTANCES);
    }

    /** Six kinds of data: random, one byte repeated, text-like, image-like rows, short periods, sparse runs. */
    private static byte[] data(int kind, int size, Random random) {
        byte[] d = new byte[size];
        switch (kind) {
            case 0 -> random.nextBytes(d);
            case 1 -> Arrays.fill(d, (byte) 7);
            case 2 -> {
                String[] words = {"the ", "thumbnail ", "origin ", "deflate ", "window ", "of ", "a "};
                for (int i = 0; i < size; ) {
                    for (byte b : words[random.nextInt(words.length)].getBytes()) {
                        if (i < size) {
                            d[i++] = b;
                        }
                    }
                }
            }
            case 3 -> {
                int stride = 1 + random.nextInt(4000);
                for (int i = 0; i < size; i++) {
                    d[i] = i < stride ? (byte) random.nextInt(256) : (byte) (d[i - stride] + (random.nextInt(8) == 0
                            ? random.nextInt(5) - 2 : 0));
                }
            }
            case 4 -> {
                for (int i = 0; i < size; i++) {
                    d[i] = (byte) (i % (2 + random.nextInt(2)) == 0 ? random.nextInt(3) : i % 7);
                }
            }
            default -> {
                for (int i = 0; i < size; i++) {
                    d[i] = random.nextInt(50) == 0 ? (byte) random.nextInt(256) : 0;
                }
            }
        }
        return d;
    }

    /** How many bytes java.util.zip inflates from the first {@code length} bytes of {@code z}. */
    private static int zlibInflatable(byte[] z, int length) {
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        inflater.setInput(z, 0, length);
        byte[] buf = new byte[1 << 20];
        int total = 0;
        try {
            int n;
            while ((n = inflater.inflate(buf)) > 0) {
                total += n;
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new IllegalStateException(e);
        } finally {
            inflater.end();
        }
        return total;
    }

    private static byte[] deflate(byte[] data, int level, int strategy) {
        Deflater deflater = new Deflater(level);
        deflater.setStrategy(strategy);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65_536];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** A deflate bit writer: values least significant bit first, Huffman codes most significant bit first. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int n;

        Bits put(int value, int bits) {
            for (int i = 0; i < bits; i++) {
                bit((value >>> i) & 1);
            }
            return this;
        }

        Bits code(int code, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                bit((code >>> i) & 1);
            }
            return this;
        }

        private void bit(int b) {
            acc |= b << n;
            if (++n == 8) {
                out.write(acc);
                acc = 0;
                n = 0;
            }
        }

        byte[] zlib() {
            if (n > 0) {
                out.write(acc);
            }
            byte[] body = out.toByteArray();
            byte[] z = new byte[body.length + 6];
            z[0] = 0x78;
            z[1] = 0x01;
            System.arraycopy(body, 0, z, 2, body.length);
            return z;
        }
    }
}
