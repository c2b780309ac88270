package dev.tuneup.repair;

import dev.tuneup.data.ImageSet;
import java.util.List;

/**
 * Labels users gave to served images (corrections, and confirmations of right answers), decoded
 * as the bundle takes them, and how many labels could not be used.
 *
 * @param confirmations how many of {@code images} say the served answer was right
 * @param withoutImage  labels whose image was not kept
 * @param unknownClass  labels naming a class the bundle does not have
 * @param undecodable   labels whose kept image did not decode
 */
public record UserLabels(ImageSet images, int confirmations, int withoutImage, int unknownClass, int undecodable) {
    /** Where users' labels come from (a {@code tuneup serve} log), read for a bundle's classes and input size. */
    public interface Source {
        UserLabels read(List<String> classes, dev.tuneup.data.Fit fit, int channels);

        /** What to call it in messages (a file or JDBC URL). */
        String name();
    }
}
