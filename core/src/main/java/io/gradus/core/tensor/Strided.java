package io.gradus.core.tensor;

/** Walks the elements of strided tensors in row-major order of a shape (an odometer over indices). */
final class Strided {
    private Strided() {}

    interface Pair { void accept(int first, int second); }

    interface Triple { void accept(int out, int a, int b); }

    static void forEach(int[] shape, Pair body, int offA, int[] stA, int offB, int[] stB) {
        int n = Shape.size(shape);
        if (n == 0) return;
        int rank = shape.length;
        int[] idx = new int[rank];
        int pa = offA, pb = offB;
        for (int k = 0; k < n; k++) {
            body.accept(pa, pb);
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    pa += stA[d];
                    pb += stB[d];
                    break;
                }
                idx[d] = 0;
                pa -= stA[d] * (shape[d] - 1);
                pb -= stB[d] * (shape[d] - 1);
            }
        }
    }

    static void forEach(int[] shape, Triple body, int offO, int[] stO, int offA, int[] stA, int offB, int[] stB) {
        int n = Shape.size(shape);
        if (n == 0) return;
        int rank = shape.length;
        int[] idx = new int[rank];
        int po = offO, pa = offA, pb = offB;
        for (int k = 0; k < n; k++) {
            body.accept(po, pa, pb);
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    po += stO[d];
                    pa += stA[d];
                    pb += stB[d];
                    break;
                }
                idx[d] = 0;
                po -= stO[d] * (shape[d] - 1);
                pa -= stA[d] * (shape[d] - 1);
                pb -= stB[d] * (shape[d] - 1);
            }
        }
    }
}
