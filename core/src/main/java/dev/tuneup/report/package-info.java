/** Pictures people would rather look at than numbers: image grids now, plots and HTML reports later. */
package dev.tuneup.report;
