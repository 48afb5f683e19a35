// hyp placeholder until the run loop lands
namespace hyp {}
