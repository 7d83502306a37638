// The one source file of the targets that compile the shared precompiled headers
// (cmake/precompiled_headers.cmake); the header is all they exist for.
