import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.attribute.InnerClassesAttribute;
import java.lang.classfile.attribute.InnerClassInfo;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;

/**
 * Counts the types a module's jar exports to every application: public top-level and nested types
 * (public or protected, inside exported types) in the packages its descriptor exports without a
 * {@code to} clause. Prints one line per module and, with {@code --list}, every type.
 *
 * <pre>java tools/ExportedTypes.java [--list] kernels/target/gradus-kernels-*.jar ...</pre>
 * (Java 25: the class-file API reads the InnerClasses attribute for nested types' access.)
 */
public class ExportedTypes {
    public static void main(String[] args) throws IOException {
        boolean list = false;
        int total = 0;
        for (String arg : args) {
            if (arg.equals("--list")) {
                list = true;
                continue;
            }
            Path jar = Path.of(arg);
            ModuleReference ref = ModuleFinder.of(jar).findAll().iterator().next();
            ModuleDescriptor d = ref.descriptor();
            Set<String> exported = new TreeSet<>();
            for (ModuleDescriptor.Exports e : d.exports()) if (!e.isQualified()) exported.add(e.source().replace('.', '/'));
            Map<String, Boolean> visible = new TreeMap<>();
            try (JarFile file = new JarFile(jar.toFile())) {
                for (var entry : file.stream().toList()) {
                    String name = entry.getName();
                    if (!name.endsWith(".class") || name.endsWith("module-info.class") || name.endsWith("package-info.class")) continue;
                    String pkg = name.substring(0, name.lastIndexOf('/'));
                    if (!exported.contains(pkg)) continue;
                    ClassModel model = ClassFile.of().parse(file.getInputStream(entry).readAllBytes());
                    String internal = model.thisClass().asInternalName();
                    boolean isPublic = (model.flags().flagsMask() & ClassFile.ACC_PUBLIC) != 0;
                    // a nested type: its own flags and its outer types' are in InnerClasses
                    var inner = model.findAttribute(java.lang.classfile.Attributes.innerClasses());
                    if (inner.isPresent()) {
                        for (InnerClassInfo info : inner.get().classes()) {
                            if (!info.innerClass().asInternalName().equals(internal)) continue;
                            if (info.outerClass().isEmpty()) isPublic = false; // local or anonymous
                            else isPublic = (info.flagsMask() & (ClassFile.ACC_PUBLIC | ClassFile.ACC_PROTECTED)) != 0;
                        }
                    }
                    visible.put(internal, isPublic);
                }
            }
            int count = 0;
            for (var e : visible.entrySet()) {
                if (!e.getValue() || !outersVisible(e.getKey(), visible)) continue;
                count++;
                if (list) System.out.println("  " + e.getKey().replace('/', '.'));
            }
            System.out.printf("%-20s %4d exported public types in %s%n", d.name(), count, exported);
            total += count;
        }
        System.out.println("total " + total);
    }

    private static boolean outersVisible(String name, Map<String, Boolean> visible) {
        for (int i = name.lastIndexOf('$'); i > 0; i = name.lastIndexOf('$', i - 1)) {
            Boolean outer = visible.get(name.substring(0, i));
            if (outer != null && !outer) return false;
        }
        return true;
    }
}
