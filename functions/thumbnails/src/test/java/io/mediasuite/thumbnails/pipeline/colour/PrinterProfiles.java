package io.mediasuite.thumbnails.pipeline.colour;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Tiny ICC v2 CMYK printer ("prtr") profiles built in memory, so colour tests need no copyrighted press profile.
 *
 * <p>Each profile is neutral (every ink darkens, none tints: a* = b* = 0) and carries two different
 * CMYK-to-Lab tables, as real press profiles do: the perceptual one (A2B0) maps full ink to L* = 0, the
 * colorimetric one (A2B1) to the press's real black, L* = {@code colorimetricBlackL}. A converter that renders a
 * printer profile colorimetrically without black point compensation shows this black as a dark grey.
 */
final class PrinterProfiles {

    private PrinterProfiles() {
    }

    /** A profile whose colorimetric black is {@code colorimetricBlackL} (L*, 0-100) and perceptual black 0. */
    static byte[] neutralCmyk(double colorimetricBlackL) {
        byte[][] tags = {
            description("test CMYK press"),
            xyz(0.9642, 1.0, 0.8249),
            description("no copyright"),
            lut(0),
            lut(colorimetricBlackL),
            inverseLut(),
            inverseLut(),
        };
        String[] signatures = {"desc", "wtpt", "cprt", "A2B0", "A2B1", "B2A0", "B2A1"};
        int tableEnd = 128 + 4 + 12 * tags.length;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteBuffer table = ByteBuffer.allocate(4 + 12 * tags.length);
        table.putInt(tags.length);
        for (int i = 0; i < tags.length; i++) {
            table.put(signatures[i].getBytes(StandardCharsets.US_ASCII));
            table.putInt(tableEnd + body.size());
            table.putInt(tags[i].length);
            body.writeBytes(tags[i]);
            while (body.size() % 4 != 0) {
                body.write(0);
            }
        }
        int size = tableEnd + body.size();
        ByteBuffer header = ByteBuffer.allocate(128);
        header.putInt(size);
        header.putInt(0);
        header.putInt(0x02100000);
        header.put("prtrCMYKLab ".getBytes(StandardCharsets.US_ASCII));
        header.putShort((short) 2026).putShort((short) 1).putShort((short) 1).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0);
        header.put("acsp".getBytes(StandardCharsets.US_ASCII));
        header.position(64);
        header.putInt(0);
        putXyz(header, 0.9642, 1.0, 0.8249);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(table.array());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /**
     * A CMYK to Lab table on a 2-point grid: L* is {@code blackL} wherever K is full, otherwise 100 times 0.75
     * per full C, M or Y ink; a* = b* = 0.
     */
    private static byte[] lut(double blackL) {
        byte[] grid = new byte[16 * 3];
        for (int node = 0; node < 16; node++) {
            boolean black = (node & 1) != 0;
            double lightness = black ? blackL : 100 * Math.pow(0.75, Integer.bitCount(node >> 1 & 7));
            grid[node * 3] = (byte) Math.round(lightness * 255 / 100);
            grid[node * 3 + 1] = (byte) 128;
            grid[node * 3 + 2] = (byte) 128;
        }
        return lut8(4, 3, grid);
    }

    /**
     * A Lab to CMYK table, K only, on a 2-point grid: not what the tests measure, but a profile without the
     * reverse direction is refused by colour engines that link it both ways (TwelveMonkeys validates so).
     */
    private static byte[] inverseLut() {
        byte[] grid = new byte[8 * 4];
        for (int node = 0; node < 8; node++) {
            boolean light = (node & 4) != 0;
            grid[node * 4 + 3] = (byte) (light ? 0 : 255);
        }
        return lut8(3, 4, grid);
    }

    /** A lut8Type tag on a 2-point grid: identity matrix and curves around {@code grid} (first input slowest). */
    private static byte[] lut8(int inputs, int outputs, byte[] grid) {
        ByteBuffer lut = ByteBuffer.allocate(48 + inputs * 256 + grid.length + outputs * 256);
        lut.put("mft1".getBytes(StandardCharsets.US_ASCII)).putInt(0);
        lut.put((byte) inputs).put((byte) outputs).put((byte) 2).put((byte) 0);
        for (int i = 0; i < 9; i++) {
            lut.putInt(i % 4 == 0 ? 0x10000 : 0);
        }
        identityCurves(lut, inputs);
        lut.put(grid);
        identityCurves(lut, outputs);
        return lut.array();
    }

    private static void identityCurves(ByteBuffer lut, int channels) {
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < 256; v++) {
                lut.put((byte) v);
            }
        }
    }

    private static byte[] description(String text) {
        byte[] ascii = (text + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer tag = ByteBuffer.allocate(12 + ascii.length + 4 + 4 + 3 + 67);
        tag.put("desc".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(ascii.length).put(ascii);
        return tag.array();
    }

    private static byte[] xyz(double x, double y, double z) {
        ByteBuffer tag = ByteBuffer.allocate(20);
        tag.put("XYZ ".getBytes(StandardCharsets.US_ASCII)).putInt(0);
        putXyz(tag, x, y, z);
        return tag.array();
    }

    private static void putXyz(ByteBuffer buffer, double x, double y, double z) {
        buffer.putInt((int) Math.round(x * 65536)).putInt((int) Math.round(y * 65536)).putInt((int) Math.round(z * 65536));
    }
}
