package dev.tuneup.cli;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * The CLI is thin: a command parses, calls one workflow and prints; no command calls another (the
 * application layer is {@code dev.tuneup.workflow}), and core's internals stay out of reach.
 */
@AnalyzeClasses(packages = "dev.tuneup.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    // Methods, not @ArchTest fields: Surefire 3.5.3 silently skips fields (TNG/ArchUnit#1442).
    @ArchTest
    static void noCommandUsesAnother(JavaClasses cli) {
        noClasses().that().haveSimpleNameEndingWith("Command")
                .and().doNotHaveSimpleName("TuneupCommand").and().doNotHaveSimpleName("DataCommand")
                .and().doNotHaveSimpleName("AugmentCommand").and().doNotHaveSimpleName("RunsCommand")
                .and().doNotHaveSimpleName("ModelCommand") // groups: they name their subcommands
                .should().dependOnClassesThat(resideInAPackage("dev.tuneup.cli").and(simpleNameEndingWith("Command")))
                .because("commands share workflows, not each other").check(cli);
    }

    @ArchTest
    static void cliStaysOutOfCoreInternals(JavaClasses cli) {
        noClasses().that().resideInAPackage("dev.tuneup.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.tuneup.internal..").check(cli);
    }
}
