package io.gradus.optim;

import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.LeNet;
import io.gradus.core.nn.Losses;
import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ParamsTest {

    @Test
    void takingOverAModelKeepsItsValuesAndRoutesGradientsIntoTheFlatArray() {
        var net = LeNet.create();
        net.initialize(Initializer.xavier(), 5);
        Tensor x = Tensor.uniform(1, 0, 1, 4, 1, 28, 28), y = Tensor.of(new float[] {3, 1, 4, 1});

        // Gradients with the parameters as separate tensors.
        Tensor before;
        try (var tape = Autograd.record()) {
            before = Losses.softmaxCrossEntropy(net.forward(x), y).mean();
        }
        before.backward();
        List<float[]> separate = new ArrayList<>();
        for (Parameter p : net.parameters()) separate.add(p.value().grad().toArray());

        Params params = Params.of(net.namedParameters());
        assertEquals(61_706, params.size());
        assertEquals("0.weight", params.slots().get(0).name());
        assertEquals(150, params.slots().get(1).offset(), "0.bias follows the 6 x 1 x 5 x 5 weight");
        Tensor after;
        try (var tape = Autograd.record()) {
            after = Losses.softmaxCrossEntropy(net.forward(x), y).mean();
        }
        assertEquals(before.item(), after.item(), 0f, "the same values, now read from the flat array");
        after.backward();
        for (int i = 0; i < separate.size(); i++) {
            Params.Slot slot = params.slots().get(i);
            float[] flat = java.util.Arrays.copyOfRange(params.grads(), slot.offset(), slot.offset() + slot.size());
            assertArrayEquals(separate.get(i), flat, slot.name());
        }
        // Writing the flat values changes the model.
        params.values()[params.slots().get(1).offset()] += 1f;
        assertEquals(net.parameters().get(1).value().get(0), params.values()[150]);
        params.zeroGrads();
        for (Parameter p : net.parameters()) assertEquals(0f, p.value().grad().sum().item());
    }
}
