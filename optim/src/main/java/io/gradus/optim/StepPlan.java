package io.gradus.optim;

import io.gradus.kernels.ArrayKernels;
import io.gradus.optim.algorithms.LayerwiseAlgorithm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one update runs over, computed once per Trainer (when its groups are set) and used by both
 * places the arrays can live ({@link ArrayStore}):
 * <ul>
 *   <li><b>segments</b>: runs of consecutive parameters with the same {@link ParamGroup}, each with
 *       its rule (the optimizer, rebuilt with the group's weight decay) and its rate multiplier. A
 *       device launches once per segment;</li>
 *   <li><b>tensors</b>: the parameters (slots) with their segment, for a rule whose update needs
 *       each whole tensor ({@link #layerwise}: LAMB's trust ratio) — its passes run per tensor;</li>
 *   <li><b>tasks</b>: the CPU's units of parallel work, chunks of at most {@link #CHUNK}
 *       elements: of the segments, or, for a layerwise rule, of the tensors (none across two).</li>
 * </ul>
 */
final class StepPlan {

    /**
     * Elements per CPU task and per reduction chunk, on the host and the device alike (one
     * definition: {@link ArrayKernels#REDUCTION_CHUNK}).
     */
    static final int CHUNK = ArrayKernels.REDUCTION_CHUNK;

    final Optimizer[] segmentRules;
    final double[] segmentRates;
    final int[] segmentOffsets, segmentLengths;
    /** Whether the rule's update needs each whole tensor: two passes per tensor ({@link LayerwiseAlgorithm}). */
    final boolean layerwise;
    final int[] tensorSegments, tensorOffsets, tensorLengths;
    final int[] taskSegments, taskTensors, taskOffsets, taskLengths;

    private StepPlan(Optimizer[] segmentRules, double[] segmentRates, int[] segmentOffsets, int[] segmentLengths, boolean layerwise,
                     int[] tensorSegments, int[] tensorOffsets, int[] tensorLengths, List<int[]> tasks) {
        this.segmentRules = segmentRules;
        this.segmentRates = segmentRates;
        this.segmentOffsets = segmentOffsets;
        this.segmentLengths = segmentLengths;
        this.layerwise = layerwise;
        this.tensorSegments = tensorSegments;
        this.tensorOffsets = tensorOffsets;
        this.tensorLengths = tensorLengths;
        this.taskSegments = tasks.stream().mapToInt(t -> t[0]).toArray();
        this.taskTensors = tasks.stream().mapToInt(t -> t[1]).toArray();
        this.taskOffsets = tasks.stream().mapToInt(t -> t[2]).toArray();
        this.taskLengths = tasks.stream().mapToInt(t -> t[3]).toArray();
    }

    int tasks() {
        return taskOffsets.length;
    }

    int tensors() {
        return tensorOffsets.length;
    }

    static StepPlan of(Params params, List<ParamGroup> groups, Optimizer optimizer) {
        Map<String, ParamGroup> groupOf = new HashMap<>();
        for (ParamGroup grp : groups) for (String name : grp.parameters()) groupOf.put(name, grp);
        List<Params.Slot> slots = params.slots();
        List<Optimizer> rules = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>(), lengths = new ArrayList<>();
        int[] tensorSegments = new int[slots.size()], tensorOffsets = new int[slots.size()], tensorLengths = new int[slots.size()];
        ParamGroup current = null;
        for (int k = 0; k < slots.size(); k++) {
            Params.Slot slot = slots.get(k);
            ParamGroup grp = groupOf.get(slot.name());
            if (k == 0 || grp != current) { // a new segment
                current = grp;
                rules.add(current != null && current.weightDecay().isPresent() ? optimizer.withWeightDecay(current.weightDecay().get()) : optimizer);
                rates.add(current == null ? 1.0 : current.lrMultiplier());
                offsets.add(slot.offset());
                lengths.add(0);
            }
            int segment = rules.size() - 1;
            lengths.set(segment, lengths.get(segment) + slot.size());
            tensorSegments[k] = segment;
            tensorOffsets[k] = slot.offset();
            tensorLengths[k] = slot.size();
        }
        boolean layerwise = optimizer instanceof LayerwiseAlgorithm;
        List<int[]> tasks = new ArrayList<>();
        if (layerwise) {
            for (int k = 0; k < slots.size(); k++) {
                int end = tensorOffsets[k] + tensorLengths[k];
                for (int off = tensorOffsets[k]; off < end; off += CHUNK) tasks.add(new int[] {tensorSegments[k], k, off, Math.min(CHUNK, end - off)});
            }
        } else {
            for (int s = 0; s < rules.size(); s++) {
                int end = offsets.get(s) + lengths.get(s);
                for (int off = offsets.get(s); off < end; off += CHUNK) tasks.add(new int[] {s, -1, off, Math.min(CHUNK, end - off)});
            }
        }
        return new StepPlan(rules.toArray(Optimizer[]::new), rates.stream().mapToDouble(Double::doubleValue).toArray(),
                offsets.stream().mapToInt(Integer::intValue).toArray(), lengths.stream().mapToInt(Integer::intValue).toArray(), layerwise,
                tensorSegments, tensorOffsets, tensorLengths, tasks);
    }
}
