// agents module
namespace hactl::agents {}
