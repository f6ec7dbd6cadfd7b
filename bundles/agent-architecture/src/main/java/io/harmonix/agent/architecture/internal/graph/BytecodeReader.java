package io.harmonix.agent.architecture.internal.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.signature.SignatureReader;
import org.objectweb.asm.signature.SignatureVisitor;

/**
 * Reads a compiled class with ASM: the types it refers to in its declaration (super types, fields, methods,
 * signatures, annotations) and in its code (with the line of the first use, from the LineNumberTable). A nested
 * class counts as its top-level class. A reference without a line (a declaration's) is mapped to the source file's
 * import of that type when the source is there.
 */
final class BytecodeReader {
    private static final int API = Opcodes.ASM9;
    private final Path root;
    private final List<String> files;

    /** @param files the target's files, to find a class's source file among them */
    BytecodeReader(Path root, List<String> files) {
        this.root = root;
        this.files = files;
    }

    /**
     * @param classFile the class file relative to the target
     * @param module the module folder
     * @param sourceRoot the module's source folder ({@code bundles/x/src/main/java}) relative to the target
     */
    void read(String classFile, String module, String sourceRoot, Consumer<TypeInfo> types,
            Consumer<RawReference> refs) throws IOException {
        ClassReader reader = new ClassReader(Files.readAllBytes(root.resolve(classFile)));
        String internal = reader.getClassName();
        String topLevel = topLevel(internal);
        String pkg = topLevel.contains(".") ? topLevel.substring(0, topLevel.lastIndexOf('.')) : "";
        Collector c = new Collector(internal);
        reader.accept(c, ClassReader.SKIP_FRAMES);
        String source = c.sourceFile == null ? null
                : sourceRoot + "/" + (pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/") + c.sourceFile;
        String file = source != null && files.contains(source) ? source : classFile;
        List<String> sourceLines = file.equals(classFile) ? List.of() : ModuleScanner.lines(root.resolve(file));
        if (internal.equals(topLevelInternal(internal)) && !internal.endsWith("package-info")
                && !internal.equals("module-info")) {
            boolean abstractType = (reader.getAccess() & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT)) != 0;
            types.accept(new TypeInfo(topLevel, pkg, module, file, packageLine(sourceLines), abstractType));
        }
        for (Map.Entry<String, Integer> e : c.lines.entrySet()) {
            String to = e.getKey();
            if (to.equals(topLevel)) {
                continue;
            }
            int line = e.getValue() > 0 ? e.getValue() : importLine(sourceLines, to);
            refs.accept(new RawReference(topLevel, pkg, to, false, file, line));
        }
    }

    static String topLevel(String internal) {
        return topLevelInternal(internal).replace('/', '.');
    }

    private static String topLevelInternal(String internal) {
        int dollar = internal.indexOf('$', internal.lastIndexOf('/') + 1);
        return dollar > 0 ? internal.substring(0, dollar) : internal;
    }

    private static int packageLine(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).stripLeading().startsWith("package ")) {
                return i + 1;
            }
        }
        return 1;
    }

    /** The line of {@code import type;} (or of its package's wildcard import, or a static import of it), else 1. */
    private static int importLine(List<String> lines, String type) {
        String pkg = type.contains(".") ? type.substring(0, type.lastIndexOf('.')) : "";
        Pattern exact = Pattern.compile("^\\s*import\\s+(static\\s+)?(" + Pattern.quote(type) + "(\\.[\\w*]+)?|"
                + Pattern.quote(pkg) + "\\.\\*)\\s*;");
        for (int i = 0; i < lines.size(); i++) {
            if (exact.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        return 1;
    }

    /** Every type named anywhere in the class, with the first code line that uses it (0: a declaration). */
    private static final class Collector extends ClassVisitor {
        final Map<String, Integer> lines = new TreeMap<>();
        String sourceFile;
        private final String self;
        private int line;

        Collector(String self) {
            super(API);
            this.self = self;
        }

        /** The types a class names in a list: the interfaces it implements, the exceptions a method throws. */
        void internalNames(String[] names) {
            if (names != null) {
                for (String name : names) {
                    internalName(name);
                }
            }
        }

        void internalName(String name) {
            if (name == null) {
                return;
            }
            if (name.startsWith("[")) {
                type(Type.getType(name));
                return;
            }
            String top = topLevel(name);
            Integer known = lines.get(top);
            if (known == null || (known == 0 && line > 0)) {
                lines.put(top, line);
            }
        }

        void type(Type t) {
            switch (t.getSort()) {
                case Type.ARRAY -> type(t.getElementType());
                case Type.OBJECT -> internalName(t.getInternalName());
                case Type.METHOD -> {
                    type(t.getReturnType());
                    for (Type a : t.getArgumentTypes()) {
                        type(a);
                    }
                }
                default -> {
                }
            }
        }

        void descriptor(String desc) {
            if (desc != null) {
                type(Type.getType(desc));
            }
        }

        void signature(String signature) {
            if (signature == null) {
                return;
            }
            new SignatureReader(signature).accept(new SignatureVisitor(API) {
                @Override
                public void visitClassType(String name) {
                    internalName(name);
                }
            });
        }

        void constant(Object value) {
            if (value instanceof Type t) {
                type(t);
            } else if (value instanceof Handle h) {
                internalName(h.getOwner());
                descriptor(h.getDesc());
            }
        }

        AnnotationVisitor annotation(String desc) {
            descriptor(desc);
            return new AnnotationVisitor(API) {
                @Override
                public void visit(String name, Object value) {
                    constant(value);
                }

                @Override
                public void visitEnum(String name, String d, String value) {
                    descriptor(d);
                }

                @Override
                public AnnotationVisitor visitAnnotation(String name, String d) {
                    return annotation(d);
                }

                @Override
                public AnnotationVisitor visitArray(String name) {
                    return this;
                }
            };
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            signature(signature);
            internalName(superName);
            internalNames(interfaces);
        }

        @Override
        public void visitSource(String source, String debug) {
            sourceFile = source;
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return annotation(descriptor);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            descriptor(descriptor);
            signature(signature);
            return new FieldVisitor(API) {
                @Override
                public AnnotationVisitor visitAnnotation(String d, boolean visible) {
                    return annotation(d);
                }
            };
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            line = 0;
            descriptor(descriptor);
            signature(signature);
            internalNames(exceptions);
            return new CodeCollector();
        }

        @Override
        public void visitEnd() {
            lines.remove(topLevel(self));
        }

        private final class CodeCollector extends MethodVisitor {
            CodeCollector() {
                super(API);
            }

            @Override
            public void visitLineNumber(int l, Label start) {
                line = l;
            }

            @Override
            public AnnotationVisitor visitAnnotation(String d, boolean visible) {
                return annotation(d);
            }

            @Override
            public AnnotationVisitor visitParameterAnnotation(int parameter, String d, boolean visible) {
                return annotation(d);
            }

            @Override
            public void visitTypeInsn(int opcode, String type) {
                internalName(type);
            }

            @Override
            public void visitFieldInsn(int opcode, String owner, String name, String d) {
                internalName(owner);
                descriptor(d);
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String d, boolean itf) {
                internalName(owner);
                descriptor(d);
            }

            @Override
            public void visitInvokeDynamicInsn(String name, String d, Handle bsm, Object... args) {
                descriptor(d);
                for (Object a : args) {
                    constant(a);
                }
            }

            @Override
            public void visitLdcInsn(Object value) {
                constant(value);
            }

            @Override
            public void visitMultiANewArrayInsn(String d, int dims) {
                descriptor(d);
            }

            @Override
            public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                internalName(type);
            }

            @Override
            public void visitLocalVariable(String name, String d, String signature, Label start, Label end,
                    int index) {
                // visited after the code: the current line is the method's last, not this variable's
                int saved = line;
                line = 0;
                descriptor(d);
                signature(signature);
                line = saved;
            }
        }
    }
}
