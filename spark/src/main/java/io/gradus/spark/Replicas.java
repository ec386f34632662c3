package io.gradus.spark;

import io.gradus.core.nn.Module;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The models an executor JVM keeps between the rounds of one run: building a model, its flat
 * Params and a Trainer for every task would allocate the whole model each round, so each task
 * borrows a replica and gives it back. A replica's values and state are overwritten from the
 * round's broadcast before use, so which replica a task gets never changes its result. Replicas are
 * kept for one run at a time (a new run id drops the others'), as many as tasks ran at once.
 */
final class Replicas {
    private Replicas() {}

    /** A model, its Params and a Trainer over them, built from a recipe in this JVM. */
    record Replica(Module model, Params params, Trainer trainer) {}

    private static final Map<String, ConcurrentLinkedQueue<Replica>> POOLS = new ConcurrentHashMap<>();

    static Replica borrow(String runId, Recipe recipe) {
        ConcurrentLinkedQueue<Replica> pool = POOLS.get(runId);
        if (pool == null) {
            POOLS.keySet().removeIf(other -> !other.equals(runId));
            pool = POOLS.computeIfAbsent(runId, id -> new ConcurrentLinkedQueue<>());
        }
        Replica r = pool.poll();
        return r != null ? r : build(recipe);
    }

    static void giveBack(String runId, Replica replica) {
        ConcurrentLinkedQueue<Replica> pool = POOLS.get(runId);
        if (pool != null) pool.add(replica);
    }

    static Replica build(Recipe recipe) {
        Module model = recipe.model().create();
        if (model == null) throw new IllegalStateException("the recipe's model factory returned null");
        Params params = Params.of(model.namedParameters());
        Trainer trainer = new Trainer(params, recipe.optimizer().create(), recipe.schedule().create());
        recipe.configure().apply(trainer);
        return new Replica(model, params, trainer);
    }
}
