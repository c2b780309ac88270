package dev.tuneup.workflow;

import dev.tuneup.data.ImageSet;
import dev.tuneup.repair.Decision;
import java.util.Locale;
import java.util.Objects;

/**
 * The test split of a repair, kept out of reach until a decision is made: its images are handed
 * out only in exchange for the gate's {@link Decision}, once, and the reading is reported. The
 * workflows that hold one give everything before the decision a copy of the data without the test
 * split ({@link #strip}), so no choice can depend on it.
 */
public final class HeldOut {
    private final ImageSet set;
    private final Reporter say;
    private boolean read;

    HeldOut(ImageSet set, Reporter say) {
        this.set = Objects.requireNonNull(set, "test split");
        this.say = say;
    }

    /** The images without their test split: what every step before the decision gets. */
    static Sessions.Images strip(Sessions.Images images) {
        return images.with(images.train(), images.val(), null);
    }

    /** How many images wait (counting them is not reading them). */
    public int size() {
        return set.size();
    }

    /**
     * The test images, for reporting the decided outcome. Refused without a decision and refused a
     * second time: the split is read once.
     */
    public ImageSet after(Decision decision) {
        Objects.requireNonNull(decision, "the test split is read only after the gate's decision");
        if (read) {
            throw new IllegalStateException("the test split was already read once");
        }
        read = true;
        say.line(String.format(Locale.ROOT, "test split: %d images read once, after the decision (%s)", set.size(),
                decision.accepted() ? "accepted" : "rejected"));
        return set;
    }

    /** Whether {@link #after} has handed out the images. */
    public boolean read() {
        return read;
    }
}
