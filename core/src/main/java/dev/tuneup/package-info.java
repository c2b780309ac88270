/**
 * tuneup-core: the library behind the {@code tuneup} command. It owns data loading and the input
 * pipeline ({@code data}, {@code loader}); training, evaluation, repair and bundles follow the
 * layout in DESIGN.md. It has no CLI or HTTP code.
 */
package dev.tuneup;
