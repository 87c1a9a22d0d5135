// net module
namespace hactl::net {}
