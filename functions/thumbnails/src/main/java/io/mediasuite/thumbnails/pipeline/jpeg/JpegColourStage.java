package io.mediasuite.thumbnails.pipeline.jpeg;

import io.mediasuite.thumbnails.pipeline.ReducedImage;

/**
 * Where {@link JpegDecoder} hands whole MCU rows when it converts colour before resampling: the decoded strips
 * of every component go to one stage, which converts them to RGB rows for the reducers.
 */
interface JpegColourStage {

    /** Whether MCU row {@code mcuRow} must be decoded: its rows, or rows the stage derives from it, are wanted. */
    boolean wantsMcuRow(int mcuRow);

    /** The strips of MCU row {@code mcuRow}, one per component in frame order. */
    void mcuRow(int mcuRow, byte[][] strips);

    /** After the last MCU row: passes on whatever is still held. */
    void finish();

    /** The reduced RGB image, {@code width x height}, of a file whose embedded profile is {@code icc} (or null). */
    ReducedImage result(int width, int height, byte[] icc);
}
