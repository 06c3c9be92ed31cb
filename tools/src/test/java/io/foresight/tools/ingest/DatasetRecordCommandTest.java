package io.foresight.tools.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetRecordCommandTest {
  @TempDir Path dir;

  @Test
  void shouldRecordFromTheCommandLine() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = io.foresight.tools.cli.ForesightCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int rc =
        cl.execute(
            "dataset",
            "record",
            "--episodes",
            "3",
            "--steps",
            "5",
            "--seed",
            "4",
            "--out",
            dir.toString(),
            "--violations",
            "0.1",
            "--violation-kinds",
            "teleport,vanish");
    assertThat(rc).as(err.toString()).isZero();
    assertThat(out.toString()).contains("wrote 15 frames (3 episodes x 5 steps)");
    assertThat(dir.resolve("frames.npy")).exists();
    assertThat(dir.resolve("manifest.json")).exists();
  }

  @Test
  void shouldRejectAnUnknownPolicyWithTheChoices() {
    StringWriter err = new StringWriter();
    CommandLine cl = io.foresight.tools.cli.ForesightCli.commandLine();
    cl.setErr(new PrintWriter(err));
    int rc =
        cl.execute(
            "dataset", "record", "--episodes", "1", "--out", dir.toString(), "--policy", "x");
    assertThat(rc).isNotZero();
    assertThat(err.toString()).contains("use mixed, random or door");
    assertThat(Files.exists(dir.resolve("frames.npy"))).isFalse();
  }

  @Test
  void shouldRecordThePushTWorldWithItsOwnFiles() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = io.foresight.tools.cli.ForesightCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int rc =
        cl.execute(
            "dataset",
            "record",
            "--world",
            "pusht",
            "--episodes",
            "2",
            "--steps",
            "5",
            "--out",
            dir.toString(),
            "--violations",
            "0.1",
            "--violation-kinds",
            "block-teleport,block-spin");
    assertThat(rc).as(err.toString()).isZero();
    assertThat(err.toString()).contains("recording 2 Push-T episodes x 5 steps");
    assertThat(out.toString()).contains("wrote 10 frames (2 episodes x 5 steps)");
    assertThat(out.toString()).contains("episodes ending at their goal");
    assertThat(dir.resolve("block.npy")).exists();
    assertThat(dir.resolve("goals.npy")).exists();
    assertThat(dir.resolve("doors.npy")).doesNotExist();
  }

  @Test
  void shouldRefuseTwoRoomsOptionsAndUnknownWorlds() {
    StringWriter err = new StringWriter();
    CommandLine cl = io.foresight.tools.cli.ForesightCli.commandLine();
    cl.setErr(new PrintWriter(err));
    int rc =
        cl.execute(
            "dataset",
            "record",
            "--world",
            "pusht",
            "--episodes",
            "1",
            "--out",
            dir.toString(),
            "--balls",
            "1");
    assertThat(rc).isNotZero();
    assertThat(err.toString()).contains("--balls belongs to the Two-Rooms world");
    rc = cl.execute("dataset", "record", "--world", "mars", "--episodes", "1", "--out", "x");
    assertThat(rc).isNotZero();
    assertThat(err.toString()).contains("unknown world 'mars'; use tworooms, pusht");
  }
}
