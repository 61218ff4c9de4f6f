import ArgumentParser; import RenkouWeb
