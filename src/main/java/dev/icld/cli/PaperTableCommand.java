package dev.icld.cli;

import dev.icld.eval.PaperTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code icld paper-table}: the runs of scripts/paper-table.sh (one main job per task and
 * backbone) gathered into one table, with the method's targets checked.
 */
@Command(
    name = "paper-table",
    mixinStandardHelpOptions = true,
    description = "Gathers ROOT/BACKBONE/TASK-SIZE/report/report.json (the reports of "
        + "scripts/paper-table.sh's main-job runs) into one table: rows tasks x backbones, "
        + "columns budgets, in each cell every method's metric with its 95%% interval and the "
        + "selector's and adaptive's paired differences against random, static and early exit; "
        + "then checks the targets at budgets 6 and 3 on kws and asr. A run without a report "
        + "shows as not run. Writes paper-table.json and paper-table.md to --out.")
final class PaperTableCommand implements Callable<Integer> {
  @Option(names = "--root", defaultValue = "build/paper", paramLabel = "DIR",
      description = "folder of the runs, ROOT/BACKBONE/TASK-SIZE (default: ${DEFAULT-VALUE})")
  Path root;

  @Option(names = "--size", defaultValue = "small", paramLabel = "SIZE",
      description = "corpus size in the runs' folder names (default: ${DEFAULT-VALUE})")
  String size;

  @Option(names = "--tasks", defaultValue = "kws,asr,sid,sound", split = ",", paramLabel = "LIST",
      description = "tasks, in row order (default: ${DEFAULT-VALUE})")
  List<String> tasks;

  @Option(names = "--backbones", defaultValue = "default,wavlm", split = ",", paramLabel = "LIST",
      description = "backbones (folder names under ROOT), in row order (default: "
          + "${DEFAULT-VALUE})")
  List<String> backbones;

  @Option(names = "--out", paramLabel = "DIR",
      description = "where paper-table.json and paper-table.md go (default: ROOT)")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter printed = spec.commandLine().getOut();
    PaperTable table = PaperTable.read(root, size, tasks, backbones);
    String command = EvalCommand.commandLine(spec);
    List<Path> written = table.write(out == null ? root : out, command);
    long made = table.runs().stream().filter(r -> r.report() != null).count();
    printed.printf("runs         %d of %d made (%s x %s, size %s, under %s)%n", made,
        table.runs().size(), String.join(",", tasks), String.join(",", backbones), size, root);
    for (PaperTable.Target t : table.targets()) {
      printed.printf("target       %-5s %-8s k=%d selector vs %-10s %s%s%n", t.task(),
          t.backbone(), t.budget(), t.against(), !t.measured() ? "NOT MEASURED" : t.met() ? "met" : "MISSED",
          t.difference() == null ? " (no paired difference in the report)"
              : String.format(" (%+.4f, 95%% CI %+.4f to %+.4f)", t.difference(),
                  t.interval()[0], t.interval()[1]));
    }
    printed.printf("wrote        %s%n",
        String.join(", ", written.stream().map(Path::toString).toList()));
    printed.flush();
    return 0;
  }
}
