package io.foresight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SamplingPlannersTest {

  static Stream<Arguments> planners() {
    Function<Dynamics, Planner> cem =
        d ->
            CemPlanner.builder(d)
                .horizon(4)
                .samples(256)
                .elites(24)
                .iterations(8)
                .cost(Cost.L2_TERMINAL)
                .budget(Duration.ofSeconds(10))
                .build();
    Function<Dynamics, Planner> mppi =
        d ->
            MppiPlanner.builder(d)
                .horizon(4)
                .samples(256)
                .iterations(12)
                .temperature(0.05f)
                .noise(0.3f)
                .cost(Cost.L2_TERMINAL)
                .budget(Duration.ofSeconds(10))
                .build();
    return Stream.of(Arguments.of("cem", cem), Arguments.of("mppi", mppi));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldFindTheActionThatReachesAnEchoGoal(String name, Function<Dynamics, Planner> make) {
    Planner p = make.apply(ToyDynamics.echo());
    float[] goal = {0.6f, -0.3f};

    PlanResult r = p.plan(PlanRequest.of(new float[2], goal));

    assertThat(r.planner()).isEqualTo(name);
    assertThat(r.actions()[3][0]).isCloseTo(0.6f, within(0.05f));
    assertThat(r.actions()[3][1]).isCloseTo(-0.3f, within(0.05f));
    assertThat(r.cost()).isLessThan(0.08);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldReportTheLatentsPredictedForThePlanItReturns(
      String name, Function<Dynamics, Planner> make) {
    Dynamics d = ToyDynamics.integrator(3, 0.25f);
    Planner p = make.apply(d);

    PlanResult r = p.plan(PlanRequest.of(new float[3], new float[] {0.5f, -0.5f, 0f}));

    if (name.equals("mppi")) {
      // MPPI returns a weighted mean it never rolled out.
      assertThat(r.predicted()).isNull();
      return;
    }
    // CEM returns its best sample: the latents of its rollout are those of the plan's actions.
    int h = r.horizon();
    float[] flat = new float[h * 2];
    for (int t = 0; t < h; t++) {
      System.arraycopy(r.actions()[t], 0, flat, t * 2, 2);
    }
    float[] traj = new float[h * 3];
    d.rollout(new float[3], 1, h, flat, traj);
    assertThat(r.predicted()).hasNumberOfRows(h);
    for (int t = 0; t < h; t++) {
      assertThat(r.predicted()[t])
          .containsExactly(java.util.Arrays.copyOfRange(traj, t * 3, t * 3 + 3));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldReachAPointMassGoalWithTheSummedCost(String name, Function<Dynamics, Planner> make) {
    // z' = z + 0.25 a: from 0 to (0.5, -0.5) in 4 steps; the summed cost wants it early.
    Dynamics d = ToyDynamics.integrator(3, 0.25f);
    Planner p =
        name.equals("cem")
            ? CemPlanner.builder(d)
                .horizon(4)
                .samples(256)
                .iterations(8)
                .cost(new Cost(Cost.Norm.L1, Cost.Aggregation.SUM))
                .build()
            : MppiPlanner.builder(d)
                .horizon(4)
                .samples(256)
                .iterations(12)
                .temperature(0.05f)
                .cost(new Cost(Cost.Norm.L1, Cost.Aggregation.SUM))
                .build();

    PlanResult r = p.plan(PlanRequest.of(new float[3], new float[] {0.5f, -0.5f, 0f}));

    // Best: full speed for two steps, then stay.
    assertThat(r.actions()[0][0]).isCloseTo(1f, within(0.2f));
    assertThat(r.actions()[0][1]).isCloseTo(-1f, within(0.2f));
    float[] z = simulate(0.25f, r.actions(), 2);
    assertThat(z[0]).isCloseTo(0.5f, within(0.1f));
    assertThat(z[1]).isCloseTo(-0.5f, within(0.1f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldKeepEveryActionInsideTheBounds(String name, Function<Dynamics, Planner> make) {
    Planner p = make.apply(ToyDynamics.echo());

    PlanResult r = p.plan(PlanRequest.of(new float[2], new float[] {3f, -5f}));

    for (float[] row : r.actions()) {
      assertThat(row[0]).isBetween(-1f, 1f);
      assertThat(row[1]).isBetween(-1f, 1f);
    }
    assertThat(r.actions()[3][0]).isCloseTo(1f, within(0.05f));
    assertThat(r.actions()[3][1]).isCloseTo(-1f, within(0.05f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldHonourCustomBounds(String name, Function<Dynamics, Planner> make) {
    Dynamics d = ToyDynamics.echo();
    Planner p =
        name.equals("cem")
            ? CemPlanner.builder(d)
                .horizon(3)
                .actionBounds(new float[] {-0.2f, 0f}, new float[] {0.1f, 0.5f})
                .build()
            : MppiPlanner.builder(d)
                .horizon(3)
                .actionBounds(new float[] {-0.2f, 0f}, new float[] {0.1f, 0.5f})
                .build();

    PlanResult r = p.plan(PlanRequest.of(new float[2], new float[] {-1f, -1f}));

    for (float[] row : r.actions()) {
      assertThat(row[0]).isBetween(-0.2f, 0.1f);
      assertThat(row[1]).isBetween(0f, 0.5f);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldReturnTheBestPlanSoFarWhenTheDeadlineCuts(
      String name, Function<Dynamics, Planner> ignored) {
    ToyDynamics slow = new ToyDynamics(ToyDynamics.Kind.ECHO, 2, 2, 1f, 30);
    Planner p =
        name.equals("cem")
            ? CemPlanner.builder(slow).horizon(2).iterations(50).build()
            : MppiPlanner.builder(slow).horizon(2).iterations(50).build();

    PlanResult r =
        p.plan(
            PlanRequest.of(new float[2], new float[] {0.5f, 0.5f})
                .withBudget(Duration.ofMillis(100)));

    assertThat(r.deadlineHit()).isTrue();
    assertThat(r.iterations()).isBetween(1, 4);
    assertThat(slow.rollouts).isEqualTo(r.iterations());
    // Stops before an iteration that would overrun: at most one iteration's worth past the budget.
    assertThat(r.elapsedMs()).isLessThan(100 + 30 * 3);
    assertThat(r.actions()).hasDimensions(2, 2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldNotReportADeadlineWhenAllIterationsFit(String name, Function<Dynamics, Planner> make) {
    PlanResult r = make.apply(ToyDynamics.echo()).plan(PlanRequest.of(new float[2], new float[2]));

    assertThat(r.deadlineHit()).isFalse();
    assertThat(r.iterations()).isEqualTo(name.equals("cem") ? 8 : 12);
    assertThat(r.samples()).isEqualTo(256);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldGiveTheSamePlanForTheSameSeed(String name, Function<Dynamics, Planner> make) {
    float[] goal = {0.2f, 0.7f};
    PlanResult a = make.apply(ToyDynamics.echo()).plan(PlanRequest.of(new float[2], goal));
    PlanResult b = make.apply(ToyDynamics.echo()).plan(PlanRequest.of(new float[2], goal));

    assertThat(a.actions()).isDeepEqualTo(b.actions());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldHoldEachActionForTheRepeatCount(String name, Function<Dynamics, Planner> make) {
    Dynamics d = ToyDynamics.integrator(2, 0.1f);
    Planner p =
        name.equals("cem")
            ? CemPlanner.builder(d).horizon(7).actionRepeat(3).build()
            : MppiPlanner.builder(d).horizon(7).actionRepeat(3).build();

    PlanResult r = p.plan(PlanRequest.of(new float[2], new float[] {0.3f, 0.1f}));

    assertThat(r.actions()).hasNumberOfRows(7);
    assertThat(r.actions()[1]).isEqualTo(r.actions()[0]);
    assertThat(r.actions()[2]).isEqualTo(r.actions()[0]);
    assertThat(r.actions()[4]).isEqualTo(r.actions()[3]);
    assertThat(r.actions()[5]).isEqualTo(r.actions()[3]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldRefuseAStartLatentOfTheWrongSize(String name, Function<Dynamics, Planner> make) {
    Planner p = make.apply(ToyDynamics.echo());

    assertThatThrownBy(() -> p.plan(PlanRequest.of(new float[3], new float[3])))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("start latent has 3 floats but the world model's latents have 2");
  }

  @org.junit.jupiter.api.Test
  void shouldStartMppiFromThePreviousPlanShiftedByOneStep() {
    Planner p =
        MppiPlanner.builder(ToyDynamics.echo()).horizon(3).noise(1e-6f).iterations(1).build();
    float[][] previous = {{0.1f, 0.2f}, {0.3f, 0.4f}, {0.5f, 0.6f}};

    PlanResult r =
        p.plan(PlanRequest.of(new float[2], new float[] {-1f, -1f}).withWarmStart(previous));

    assertThat(r.actions()[0][0]).isCloseTo(0.3f, within(1e-4f));
    assertThat(r.actions()[0][1]).isCloseTo(0.4f, within(1e-4f));
    assertThat(r.actions()[1][0]).isCloseTo(0.5f, within(1e-4f));
    assertThat(r.actions()[2][1]).isCloseTo(0.6f, within(1e-4f));
  }

  @org.junit.jupiter.api.Test
  void shouldIgnoreThePreviousPlanWhenWarmStartIsOff() {
    Planner p =
        MppiPlanner.builder(ToyDynamics.echo())
            .horizon(2)
            .noise(1e-6f)
            .iterations(1)
            .warmStart(false)
            .build();

    PlanResult r =
        p.plan(
            PlanRequest.of(new float[2], new float[2])
                .withWarmStart(new float[][] {{0.9f, 0.9f}, {0.9f, 0.9f}}));

    assertThat(r.actions()[0][0]).isCloseTo(0f, within(1e-4f));
  }

  @org.junit.jupiter.api.Test
  void shouldEvaluateFewerSequencesInLaterIterationsUnderPopulationDecay() {
    java.util.List<Integer> batches = new java.util.ArrayList<>();
    Dynamics counting =
        new Echo() {

          @Override
          public void rollout(float[] start, int batch, int horizon, float[] actions, float[] out) {
            batches.add(batch);
            super.rollout(start, batch, horizon, actions, out);
          }
        };
    Planner p =
        CemPlanner.builder(counting)
            .horizon(4)
            .samples(256)
            .elites(24)
            .iterations(4)
            .samplesDecay(2)
            .cost(Cost.L2_TERMINAL)
            .budget(Duration.ofSeconds(10))
            .build();

    PlanResult r = p.plan(PlanRequest.of(new float[2], new float[] {0.6f, -0.3f}));

    // 256, 128, 64, then iCEM's floor of twice the elites (48) instead of 32.
    assertThat(batches).containsExactly(256, 128, 64, 48);
    assertThat(r.samples()).isEqualTo(256);
    assertThat(r.actions()[3][0]).isCloseTo(0.6f, within(0.05f));
    assertThat(r.actions()[3][1]).isCloseTo(-0.3f, within(0.05f));
  }

  @org.junit.jupiter.api.Test
  void shouldDescribeThePopulationsOfTheConfiguredPlanner() {
    assertThat(Planners.populations(PlannerOptions.defaults())).containsExactly(40, 40, 40, 40);
    assertThat(
            Planners.populations(
                PlannerOptions.fromMap(
                    java.util.Map.of(
                        "planner.samples",
                        "64",
                        "planner.iterations",
                        "3",
                        "planner.samples.decay",
                        "2"))))
        .containsExactly(64, 32, 16);
    assertThat(
            Planners.populations(
                PlannerOptions.fromMap(
                    java.util.Map.of(
                        "planner.algorithm",
                        "mppi",
                        "planner.samples",
                        "64",
                        "planner.iterations",
                        "3",
                        "planner.samples.decay",
                        "4"))))
        .containsExactly(64, 16, 16);
  }

  @org.junit.jupiter.api.Test
  void shouldRefuseAPopulationDecayBelowOne() {
    assertThatThrownBy(() -> CemPlanner.builder(ToyDynamics.echo()).samplesDecay(0.5).build())
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("samples decay must be >= 1");
  }

  @org.junit.jupiter.api.Test
  void shouldRefuseMoreElitesThanSamples() {
    assertThatThrownBy(() -> CemPlanner.builder(ToyDynamics.echo()).samples(10).elites(11).build())
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("CEM elites must be in [1, samples=10], got 11");
  }

  @org.junit.jupiter.api.Test
  void shouldConvertAResultToTheWireRecord() {
    PlanResult r = new PlanResult("cem", new float[][] {{0.5f, -0.25f}}, 1.5, 64, 3, 2.5, true);

    io.foresight.schemas.avro.Plan plan = r.toAvro("cam-1", "p-7", "g-1", 123L, 42L);

    assertThat(plan.getActions()).containsExactly(java.util.List.of(0.5f, -0.25f));
    assertThat(plan.getBasedOnSequence()).isEqualTo(42L);
    assertThat(plan.getStats().getDeadlineHit()).isTrue();
    assertThat(plan.getStats().getSamples()).isEqualTo(64);
    assertThat(plan.getStats().getPlanner()).isEqualTo("cem");
  }

  private static float[] simulate(float gain, float[][] actions, int dim) {
    float[] z = new float[dim];
    for (float[] a : actions) {
      for (int i = 0; i < dim; i++) {
        z[i] += gain * a[i];
      }
    }
    return z;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldPlanOneRequestTogetherExactlyAsAlone(String name, Function<Dynamics, Planner> make) {
    Dynamics d = ToyDynamics.integrator(3, 0.25f);
    PlanRequest request = PlanRequest.of(new float[3], new float[] {0.5f, -0.5f, 0f});

    PlanResult alone = make.apply(d).plan(request);
    PlanResult together = make.apply(d).planAll(java.util.List.of(request)).get(0);

    for (int t = 0; t < alone.horizon(); t++) {
      assertThat(together.actions()[t]).containsExactly(alone.actions()[t]);
    }
    assertThat(together.cost()).isEqualTo(alone.cost());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("planners")
  void shouldSearchSeveralRequestsInOneRolloutPerIterationEachTowardItsOwnGoal(
      String name, Function<Dynamics, Planner> make) {
    var calls = new java.util.concurrent.atomic.AtomicInteger();
    var grouped = new java.util.concurrent.atomic.AtomicInteger();
    // The echo dynamics (z' = a), counting its calls.
    Dynamics counting =
        new Echo() {

          @Override
          public void rollout(float[] start, int batch, int horizon, float[] actions, float[] out) {
            calls.incrementAndGet();
            super.rollout(start, batch, horizon, actions, out);
          }

          @Override
          public void rolloutGroups(
              float[] starts, int groups, int batch, int horizon, float[] actions, float[] out) {
            grouped.incrementAndGet();
            assertThat(groups).isEqualTo(3);
            assertThat(batch).isEqualTo(3 * 256);
            super.rolloutGroups(starts, groups, batch, horizon, actions, out);
          }
        };
    Planner p = make.apply(counting);
    float[][] goals = {{0.6f, -0.3f}, {-0.5f, 0.2f}, {0.2f, 0.5f}};
    var requests =
        java.util.Arrays.stream(goals).map(g -> PlanRequest.of(new float[2], g)).toList();

    java.util.List<PlanResult> plans = p.planAll(requests);

    assertThat(plans).hasSize(3);
    assertThat(calls).hasValue(0);
    assertThat(grouped.get()).isEqualTo(plans.get(0).iterations()).isPositive();
    for (int i = 0; i < 3; i++) {
      float[] last = plans.get(i).actions()[3];
      assertThat(last[0]).isCloseTo(goals[i][0], within(0.05f));
      assertThat(last[1]).isCloseTo(goals[i][1], within(0.05f));
      assertThat(plans.get(i).cost()).isLessThan(0.08);
    }
  }

  @org.junit.jupiter.api.Test
  void shouldSearchMoreRequestsThanOneBatchHoldsInTurns() {
    Dynamics small =
        new Echo() {

          @Override
          public int maxBatch() {
            return 100;
          }
        };
    Planner cem = CemPlanner.builder(small).horizon(2).samples(40).iterations(3).build();
    var requests =
        java.util.stream.IntStream.range(0, 5)
            .mapToObj(i -> PlanRequest.of(new float[2], new float[] {0.1f * i, -0.1f * i}))
            .toList();

    java.util.List<PlanResult> plans = cem.planAll(requests);

    // Two searches of 40 samples fit a batch of 100: three turns, 2 + 2 + 1.
    assertThat(plans).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(plans.get(i).actions()[1][0]).isCloseTo(0.1f * i, within(0.1f));
    }
  }

  @org.junit.jupiter.api.Test
  void shouldRollOutEachGroupFromItsOwnStartByDefault() {
    Dynamics d = ToyDynamics.integrator(3, 0.25f);
    float[] starts = {0f, 0f, 0f, 1f, 2f, 3f};
    float[] actions = new float[2 * 4 * 2];
    java.util.Arrays.fill(actions, 1f);
    float[] grouped = new float[2 * 4 * 3];

    d.rolloutGroups(starts, 2, 4, 2, actions, grouped);

    // Rows 2 and 3 start from (1, 2, 3); with actions of 1 they move by 0.25 a step.
    assertThat(grouped[(0 * 4 + 2) * 3]).isCloseTo(1.25f, within(1e-6f));
    assertThat(grouped[(1 * 4 + 3) * 3 + 1]).isCloseTo(2.5f, within(1e-6f));
    assertThat(grouped[(1 * 4 + 1) * 3]).isCloseTo(0.5f, within(1e-6f));
    assertThatThrownBy(() -> d.rolloutGroups(starts, 3, 4, 2, actions, grouped))
        .isInstanceOf(PlannerException.class)
        .hasMessageContaining("do not divide");
  }

  /** {@code z' = a}: the latent is the last action; tests override it to count the calls. */
  private static class Echo extends RowDynamics {
    Echo() {
      super(2, 2);
    }

    @Override
    protected void next(float[] z, int zo, float[] a, int ao, float[] out, int oo) {
      out[oo] = a[ao];
      out[oo + 1] = a[ao + 1];
    }
  }
}
