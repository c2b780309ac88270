package dev.tuneup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The string form: canonical printing, round trips, defaults, and errors that name the argument. */
class ScheduleSpecTest {
    static final List<String> CANONICAL = List.of(
            "constant(lr=0.1)",
            "step(lr=0.1,every=1000,gamma=0.1)",
            "multistep(lr=0.1,at=(3000,6000),gamma=0.1)",
            "multistep(lr=0.05,at=(10),gamma=0.5)",
            "exponential(lr=0.1,gamma=0.999)",
            "poly(lr=0.1,power=2,min=0)",
            "poly(lr=0.1,power=0.9,min=0.0001)",
            "cosine(lr=0.1,min=0)",
            "cosine(lr=0.1,min=0,restarts=3,mult=2)",
            "cosine(lr=0.003,min=0.00001,restarts=4,mult=1.5)",
            "onecycle(max=0.1,pct=0.3,div=25,final=10000)",
            "cyclic(base=0.001,max=0.1,half=2000,mode=triangular)",
            "cyclic(base=0.001,max=0.1,half=2000,mode=triangular2)",
            "cyclic(base=0.001,max=0.1,half=2000,mode=exp_range,gamma=0.99994)",
            "cosine(lr=0.1,min=0,warmup=500)",
            "cosine(lr=0.1,min=0,restarts=2,mult=2,warmup=500,warmup_start=0.1)",
            "step(lr=0.1,every=30,gamma=0.1,warmup=5,warmup_start=0.25)",
            "onecycle(max=0.1,pct=0.3,div=25,final=10000,warmup=100)",
            "cyclic(base=0.001,max=0.1,half=2000,mode=exp_range,gamma=0.999,warmup=10)");

    @Test
    void everyKindRoundTrips() {
        for (String spec : CANONICAL) {
            Schedule s = Schedules.parse(spec);
            assertEquals(spec, s.toString());
            assertEquals(s, Schedules.parse(s.toString()), spec);
            assertEquals(s.hashCode(), Schedules.parse(s.toString()).hashCode(), spec);
        }
        String plateau = "plateau(lr=0.1,factor=0.5,patience=3,mode=max,threshold=0.001,cooldown=2,min=0.0001)";
        assertEquals(plateau, Schedules.parsePlateau(plateau).toString());
        assertEquals(Schedules.parsePlateau(plateau).config(), Schedules.parsePlateau(plateau).config());
        for (String kind : Schedules.kinds()) {
            assertTrue(CANONICAL.stream().anyMatch(s -> s.startsWith(kind + "(")) || kind.equals("plateau"), kind);
        }
    }

    @Test
    void defaultsPositionalArgumentsAndSpacing() {
        assertEquals("cosine(lr=0.1,min=0)", Schedules.parse("cosine(lr=0.1)").toString());
        assertEquals("cosine(lr=0.1,min=0.001)", Schedules.parse(" Cosine( 0.1 , 0.001 ) ").toString());
        assertEquals("step(lr=0.1,every=1000,gamma=0.1)", Schedules.parse("step(0.1,every=1e3)").toString());
        assertEquals("multistep(lr=0.1,at=(30),gamma=0.1)", Schedules.parse("multistep(lr=0.1,at=30)").toString());
        assertEquals("poly(lr=0.1,power=1,min=0)", Schedules.parse("poly(lr=0.1)").toString());
        assertEquals("onecycle(max=0.1,pct=0.3,div=25,final=10000)", Schedules.parse("onecycle(max=0.1)").toString());
        assertEquals("cyclic(base=0.001,max=0.1,half=2000,mode=triangular)",
                Schedules.parse("cyclic(0.001,0.1,2000)").toString());
        assertEquals("plateau(lr=0.1,factor=0.1,patience=10,mode=min,threshold=0.0001,cooldown=0,min=0)",
                Schedules.parsePlateau("plateau(lr=0.1)").toString());
        assertEquals(Schedules.parse("cosine(lr=0.1)"), Schedules.parse("cosine(lr=0.1,warmup=0)"), "warmup=0 is none");
        assertEquals(Schedule.cosine(0.1, 0).withWarmup(500, 0.1),
                Schedules.parse("cosine(lr=0.1,warmup=500,warmup_start=0.1)"));
        assertTrue(Schedules.isPlateau(" plateau(lr=0.1)"));
        assertFalse(Schedules.isPlateau("cosine(lr=0.1)"));
    }

    @Test
    void factoriesBuildTheSameRecordsAsTheParser() {
        assertEquals(Schedule.step(0.1, 1000, 0.1), Schedules.parse("step(lr=0.1,every=1000,gamma=0.1)"));
        assertEquals(Schedule.multistep(0.1, List.of(3000L, 6000L), 0.1),
                Schedules.parse("multistep(lr=0.1,at=(3000,6000))"));
        assertEquals(Schedule.cosine(0.1, 0, 3, 2), Schedules.parse("cosine(lr=0.1,restarts=3,mult=2)"));
        assertEquals(Schedule.oneCycle(0.1, 0.3, 25, 1e4), Schedules.parse("onecycle(max=0.1)"));
        assertEquals(Schedule.cyclic(0.001, 0.1, 2000, Schedule.Cyclic.Mode.EXP_RANGE, 0.9),
                Schedules.parse("cyclic(base=0.001,max=0.1,half=2000,mode=EXP_RANGE,gamma=0.9)"));
    }

    private static String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> Schedules.parse(spec), spec).getMessage();
    }

    private static void errorSays(String spec, String... parts) {
        String message = error(spec);
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + spec + "' gave '" + message + "', missing '" + part + "'");
        }
    }

    @Test
    void badSpecsNameTheArgumentAndWhatIsAllowed() {
        errorSays("cosin(lr=0.1)", "unknown schedule 'cosin'", "allowed: constant, cosine, cyclic, exponential,"
                + " multistep, onecycle, plateau, poly, step");
        errorSays("", "empty schedule", "allowed:");
        errorSays("cosine(lr=0.1,minimum=0)", "cosine: unknown argument 'minimum'",
                "allowed: lr, min, restarts, mult, warmup, warmup_start");
        errorSays("cosine(min=0)", "cosine: lr is required");
        errorSays("cosine(lr=-0.1)", "cosine: lr=-0.1 must be > 0");
        errorSays("cosine(lr=abc)", "cosine: lr='abc' is not a number");
        errorSays("cosine(lr=0.1,min=0.2)", "cosine: min=0.2 must be in [0, lr=0.1]");
        errorSays("cosine(lr=0.1,mult=2)", "cosine: mult=2 needs restarts >= 1");
        errorSays("cosine(lr=0.1,restarts=1.5)", "cosine: restarts=1.5 must be a whole number");
        errorSays("cosine(lr=0.1,restarts=-1)", "cosine: restarts=-1 must be in 0..1000");
        errorSays("cosine(lr=0.1,lr=0.2)", "cosine: argument 'lr' given twice");
        errorSays("cosine(lr=0.1,0)", "cosine: positional argument '0' after a named one");
        errorSays("cosine(lr=0.1", "missing ')'");
        errorSays("constant(0.1,2)", "constant: too many arguments; by position it takes lr; by name also warmup,"
                + " warmup_start");
        errorSays("step(lr=0.1,every=0)", "step: every=0 must be >= 1 step");
        errorSays("step(lr=0.1,every=10,gamma=1.5)", "step: gamma=1.5 must be in (0, 1]");
        errorSays("step(lr=0.1)", "step: every is required");
        errorSays("multistep(lr=0.1,at=(60,30))", "multistep: at=30 must be >= 1 and after the previous milestone");
        errorSays("multistep(lr=0.1,at=(30,x))", "multistep: at='x' is not a number");
        errorSays("multistep(lr=0.1)", "multistep: at is required");
        errorSays("exponential(lr=0.1)", "exponential: gamma is required");
        errorSays("poly(lr=0.1,power=0)", "poly: power=0 must be in (0, 100]");
        errorSays("onecycle(max=0.1,pct=1)", "onecycle: pct=1 must be in (0, 1)");
        errorSays("onecycle(max=0.1,div=0.5)", "onecycle: div=0.5 must be >= 1");
        errorSays("onecycle(lr=0.1)", "onecycle: unknown argument 'lr'", "allowed: max, pct, div, final, warmup");
        errorSays("cyclic(base=0.1,max=0.01,half=10)", "cyclic: max=0.01 must be >= base=0.1");
        errorSays("cyclic(base=0.01,max=0.1,half=10,mode=sine)", "cyclic: mode='sine' is not one of [triangular,"
                + " triangular2, exp_range]");
        errorSays("cyclic(base=0.01,max=0.1,half=10,gamma=0.9)", "cyclic: gamma=0.9 only applies to mode=exp_range");
        errorSays("cosine(lr=0.1,warmup=-5)", "cosine: warmup=-5 must be >= 1 step");
        errorSays("cosine(lr=0.1,warmup=10,warmup_start=2)", "cosine: warmup_start=2 must be in [0, 1]");
        errorSays("cosine(lr=0.1,warmup_start=0.1)", "cosine: warmup_start=0.1 needs warmup=N");
        errorSays("plateau(lr=0.1)", "plateau: is driven by a validation metric", "Schedules.parsePlateau");
    }

    @Test
    void badPlateauSpecs() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedules.parsePlateau("plateau(lr=0.1,factor=1)"))
                .getMessage().contains("plateau: factor=1 must be in (0, 1)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedules.parsePlateau("plateau(lr=0.1,mode=up)"))
                .getMessage().contains("plateau: mode='up' is not one of [min, max]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedules.parsePlateau("plateau(lr=0.1,warmup=5)"))
                .getMessage().contains("plateau: unknown argument 'warmup'; allowed: lr, factor, patience, mode,"
                        + " threshold, cooldown, min"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedules.parsePlateau("cosine(lr=0.1)"))
                .getMessage().contains("'cosine' is not a plateau schedule"));
    }
}
