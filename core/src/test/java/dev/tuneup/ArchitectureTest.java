package dev.tuneup;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * Package rules of tuneup-core, checked on its compiled classes (tests left out): no package cycles,
 * and {@code dev.tuneup.internal} is the bottom layer every core package may use. That nothing outside
 * core uses it is checked where the outside classes are: serve's {@code ArchitectureTest}.
 */
@AnalyzeClasses(packages = "dev.tuneup", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    // Rules run from methods, not @ArchTest fields: Surefire 3.5.3 silently skips fields (TNG/ArchUnit#1442).
    @ArchTest
    static void noPackageCycles(JavaClasses core) {
        slices().matching("dev.tuneup.(*)..").should().beFreeOfCycles().check(core);
    }

    @ArchTest
    static void internalIsTheBottomLayer(JavaClasses core) {
        classes().that().resideInAPackage("dev.tuneup.internal..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.tuneup..")
                        .or(resideInAPackage("dev.tuneup.internal..")))
                .check(core);
    }
}
