package dev.tuneup.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.data.Image;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentSpecTest {
    /** One spec per op, with non-default arguments where it has any. */
    static final List<String> EVERY_OP = List.of(
            "crop(32,pad=4,mode=reflect)", "crop((24,28),pad=2,mode=edge,p=0.5)", "centercrop(24)", "resize((20,30))", "fit(224,crop=0.875)", "fit((20,30))",
            "resizedcrop(32,scale=(0.2,1),ratio=(0.5,2))", "hflip", "vflip(p=0.2)", "rotate(15,interp=bilinear,fill=7)",
            "affine(degrees=10,translate=(0.1,0.2),scale=(0.9,1.1),shear=5)", "perspective(0.3,p=0.7)",
            "brightness(0.4)", "contrast(0.3)", "saturation(0.5)", "hue(0.1)", "colorjitter(0.2,0.2,0.2,0.05)",
            "grayscale(p=0.1)", "invert", "posterize(4)", "solarize(128)", "equalize", "autocontrast(p=0.3)",
            "sharpness(2)", "blur(5,sigma=(0.5,1.5))", "noise(0.1)", "erase(scale=(0.05,0.2),ratio=(0.5,2),value=random)",
            "erase(value=mean,p=0.25)", "erase(value=128)", "randaugment(n=3,m=12)", "trivialaugment",
            "autoaugment(cifar10)", "augmix(severity=2,width=4,depth=2,alpha=0.5)",
            "mix(mixup=0.8,cutmix=1,switch=0.3,p=0.9)", "mixup(0.2)", "cutmix(1)", "replay(p=0.3)",
            "jsd(weight=6) | augmix");

    @Test
    void everyOpIsCoveredAndRoundTrips() {
        java.util.Set<String> covered = new java.util.TreeSet<>();
        for (String spec : EVERY_OP) {
            AugmentSpec.Parsed once = AugmentSpec.parse(spec);
            String printed = once.toString();
            AugmentSpec.Parsed twice = AugmentSpec.parse(printed);
            assertEquals(printed, twice.toString(), spec);
            assertEquals(once.pipeline().steps(), twice.pipeline().steps(), spec);
            assertEquals(once.mix(), twice.mix(), spec);
            covered.add(spec.replaceAll("[( ].*", ""));
        }
        assertEquals(new java.util.TreeSet<>(AugmentSpec.opNames()), covered, "a round-trip case for every op");
    }

    @Test
    void aWholePipelineParsesAndPrints() {
        AugmentSpec.Parsed p = AugmentSpec.parse("crop(32, pad=4, mode=reflect) | hflip | randaugment(n=2, m=9) | erase(p=0.25)");
        assertEquals("crop(32,pad=4,mode=reflect) | hflip | randaugment(n=2,m=9) | erase(scale=(0.02,0.33),"
                + "ratio=(0.3,3.3),value=0,p=0.25)", p.toString());
        assertEquals(4, p.pipeline().steps().size());
        assertNull(p.mix());
        assertEquals(p.toString(), AugmentSpec.parse(List.of("crop(32,pad=4,mode=reflect)", "hflip",
                "randaugment(n=2,m=9)", "erase(p=0.25)")).toString(), "the list form is the same");
    }

    @Test
    void argumentValuesSurviveTheRoundTrip() {
        assertEquals("erase(scale=(0.02,0.33),ratio=(0.3,3.3),value=128)", AugmentSpec.parse("erase(value=128)").toString()
                .replace(",p=0.5", ""));
        assertEquals(new Erase(0.02, 0.33, 0.3, 3.3, Erase.Fill.CONSTANT, 128),
                AugmentSpec.parse("erase(value=128)").pipeline().steps().get(0).op());
        assertTrue(AugmentSpec.parse("crop((24,28),pad=2)").toString().startsWith("crop((24,28),pad=2)"));
        assertTrue(error("erase(value=300)").contains("erase: value=300 must be 0..255, random or mean"));
    }

    @Test
    void probabilityZeroLeavesTheOpOut() {
        assertEquals("hflip", AugmentSpec.parse("hflip | vflip(p=0) | mixup(0.2,p=0)").toString());
        assertTrue(AugmentSpec.parse("").pipeline().isEmpty());
    }

    private static String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> AugmentSpec.parse(spec)).getMessage();
    }

    @Test
    void errorsNameTheOpAndArgumentAndListWhatIsAllowed() {
        assertTrue(error("hflip | twirl(3)").contains("unknown op 'twirl'; allowed: affine, augmix, autoaugment"), error("twirl"));
        assertTrue(error("crop(32,padding=4)").contains("crop: unknown argument 'padding'; allowed: size, pad, mode, p"));
        assertTrue(error("crop(32,mode=wrap)").contains("crop: mode 'wrap' is not one of [zero, reflect, edge]"));
        assertTrue(error("crop(size=x)").contains("crop: size='x' is not a number"));
        assertTrue(error("crop").contains("crop: size is required"));
        assertTrue(error("hflip(p=1.5)").contains("hflip: p=1.5 is not a probability"));
        assertTrue(error("posterize(9)").contains("posterize: bits=9 is outside [0, 8]"));
        assertTrue(error("blur(4)").contains("blur: kernel must be odd"));
        assertTrue(error("hflip(3)").contains("hflip: too many arguments; it takes none but p"));
        assertTrue(error("crop(32,pad=1,pad=2)").contains("given twice"));
        assertTrue(error("hflip || vflip").contains("empty op"));
        assertTrue(error("mixup(0.2) | cutmix(1)").contains("batch mixing is given twice"));
    }

    @Test
    void evalPipelinesRefuseRandomOps() {
        Pipeline ok = Pipeline.forEval(AugmentSpec.parse("resize(36) | centercrop(32)").pipeline());
        assertFalse(ok.isRandom());
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Pipeline.forEval(AugmentSpec.parse("centercrop(32) | hflip").pipeline())).getMessage();
        assertTrue(msg.contains("'hflip' is random"), msg);
        assertThrows(IllegalArgumentException.class, () -> Pipeline.forEval(AugmentSpec.parse("invert(p=0.5)").pipeline()));
    }

    @Test
    void sizeChangesAreTrackedAndMustNotBeRandom() {
        Pipeline p = AugmentSpec.parse("resizedcrop(24) | hflip").pipeline();
        assertEquals(24, p.outputSize(32, 32)[0]);
        Pipeline bad = AugmentSpec.parse("centercrop(16,p=0.5)").pipeline();
        assertThrows(IllegalArgumentException.class, () -> bad.outputSize(32, 32));
    }

    @Test
    void sameSeedSameImageForEveryOp() {
        byte[] px = new byte[16 * 16 * 3];
        new SplittableRandom(0).nextBytes(px);
        Image im = new Image(16, 16, 3, px);
        for (String spec : EVERY_OP) {
            Pipeline p = AugmentSpec.parse(spec).pipeline();
            if (p.isEmpty() || spec.startsWith("crop((24") || p.outputSize(16, 16)[0] > 16) {
                continue;
            }
            Image a = p.apply(im, new SplittableRandom(42));
            Image b = p.apply(im, new SplittableRandom(42));
            assertEquals(java.util.Arrays.toString(a.pixels()), java.util.Arrays.toString(b.pixels()), spec);
        }
    }

    @Test
    void jsdSplitsThePipelineIntoViewsAndRefusesWhatCannotCombine() {
        Pipeline p = AugmentSpec.parse("hflip | jsd | augmix").pipeline();
        Pipeline.Views v = p.views();
        assertEquals("hflip", v.clean().toString());
        assertEquals("augmix(severity=3,width=3,depth=-1,alpha=1)", v.augment().toString());
        assertEquals(12.0, v.weight(), "AugMix's lambda is the default");
        assertNull(AugmentSpec.parse("hflip | augmix").pipeline().views());
        for (String bad : List.of("jsd(p=0.5) | invert", "jsd | invert | jsd", "replay | jsd | invert",
                "jsd | invert | mixup(0.2)", "jsd(weight=0)")) {
            assertThrows(IllegalArgumentException.class, () -> AugmentSpec.parse(bad), bad);
        }
    }

    @Test
    void replaySkipsTheRestForItsShareOfImages() {
        Pipeline p = AugmentSpec.parse("invert | replay(p=0.3) | invert").pipeline();
        assertEquals("invert | replay(p=0.3) | invert", p.toString());
        assertEquals("replay", AugmentSpec.parse("replay(p=0.5)").pipeline().toString(), "0.5 is its default");
        Image im = new Image(1, 1, 1, new byte[] {10});
        SplittableRandom rng = new SplittableRandom(5);
        int replayed = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            // replayed images end inverted once (245); the others are inverted back (10)
            replayed += (p.apply(im, rng).pixels()[0] & 0xff) == 245 ? 1 : 0;
        }
        assertEquals(0.3, replayed / (double) n, 0.015);
        assertTrue(p.isRandom());
        assertThrows(IllegalArgumentException.class, () -> Pipeline.forEval(p));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AugmentSpec.parse("replay | resize(16)").pipeline().outputSize(32, 32));
        assertTrue(e.getMessage().contains("after replay"), e.getMessage());
    }
}
