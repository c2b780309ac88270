package dev.tuneup.cli;

import dev.tuneup.TuneupException;
import dev.tuneup.repair.LabelRepair;
import dev.tuneup.workflow.RepairWorkflow;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Option values parsed by core code, with a bad one turned into a usage error (exit 2) that names the option. */
final class Usage {
    private Usage() {
    }

    static <T> T parse(CommandSpec spec, String option, String value, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (TuneupException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage()
                    + (e.fix().isEmpty() ? "" : " (" + e.fix() + ")"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** An enum option in any case, its choices listed when the value is not one of them. */
    static <E extends Enum<E>> E choice(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + Arrays.stream(
                type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }

    static final class FixConverter implements CommandLine.ITypeConverter<LabelRepair.Fix> {
        @Override
        public LabelRepair.Fix convert(String value) {
            return choice(LabelRepair.Fix.class, value);
        }
    }

    static final class StrategyConverter implements CommandLine.ITypeConverter<RepairWorkflow.Strategy> {
        @Override
        public RepairWorkflow.Strategy convert(String value) {
            return choice(RepairWorkflow.Strategy.class, value);
        }
    }
}
