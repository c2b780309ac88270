package dev.tuneup.serve;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/** The server uses core only through its public packages, never {@code dev.tuneup.internal}. */
@AnalyzeClasses(packages = "dev.tuneup.serve", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    // A method, not an @ArchTest field: Surefire 3.5.3 silently skips fields (TNG/ArchUnit#1442).
    @ArchTest
    static void serverStaysOutOfCoreInternals(JavaClasses serve) {
        noClasses().that().resideInAPackage("dev.tuneup.serve..")
                .should().dependOnClassesThat().resideInAPackage("dev.tuneup.internal..").check(serve);
    }
}
