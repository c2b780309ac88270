package dev.tuneup.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Fault injection for tests: the first attempt of one partition dies after handing its writer
 * {@code afterRows} rows, as an executor lost mid-task would. {@link #NONE} in production.
 *
 * @param partition the partition whose first attempt dies, or -1 for none
 */
record Faults(int partition, int afterRows) implements Serializable {
    static final Faults NONE = new Faults(-1, 0);

    /** {@code rows}, cut short by an exception when this is the planned attempt. */
    <T> Iterator<T> wrap(Iterator<T> rows, int partitionId, int attempt) {
        if (partitionId != partition || attempt != 0) {
            return rows;
        }
        return new Iterator<>() {
            private int given;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public T next() {
                if (given == afterRows) {
                    throw new IllegalStateException("injected fault: partition " + partition + " attempt 0 killed after "
                            + afterRows + " rows");
                }
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                given++;
                return rows.next();
            }
        };
    }
}
