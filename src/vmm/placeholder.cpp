namespace vmm {}
