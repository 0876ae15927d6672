#include <QCoreApplication>
#include "core/util/ids.h"
#include "core/paths.h"
#include <cstdio>
int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::puts(qPrintable(brieflow::newSortableId()));
    std::puts(qPrintable(brieflow::Paths::resolve().databaseFile()));
    return 0;
}
