// Baseline for the synth benchmark: the same example app, but with @cdktf/provider-google
// loaded from its package root, the way cdktf's templates and most examples import it.
import "@cdktf/provider-google";
import "../../main";
