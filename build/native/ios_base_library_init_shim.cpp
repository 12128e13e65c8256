// TorchSharp 0.107 is built with GCC 13, whose <iostream> references std::ios_base_library_init()
// (GLIBCXX_3.4.32) only to force the iostream initialiser to be linked. Older libstdc++ (GCC 12,
// Debian 12) initialises iostreams itself, so an empty definition is all the loader needs.
namespace std
{
    __attribute__((visibility("default"))) void ios_base_library_init()
    {
    }
}
