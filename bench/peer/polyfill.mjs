// PostGraphile 5 declares Node >= 22; this machine has Node 20. Node 22's Promise.withResolvers
// (used throughout grafast) is the one missing piece it needs here: provided as a polyfill.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };
}
